"""Public catalogue reads: a cluster's coming productions and performances, the
performances with their live availability and price list."""

from datetime import datetime

from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema

from podium.catalog import selectors
from podium.sales.selectors import performances_availability, price_lists

from .fields import SLUG

router = Router(tags=["catalog"])
LANGUAGES = ("nl", "fr", "en")


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text())


class TermOut(Schema):
    id: str
    name: dict[str, str]


class ProductionOut(Schema):
    id: int
    house: str = Field(description="Slug of the house that programmes it.")
    title: dict[str, str] = Field(description='Per language: {"nl", "fr", "en"}.')
    subtitle: dict[str, str]
    description: dict[str, str] = Field(description="Sanitised HTML per language.")
    event_type: TermOut = Field(description="UiTdatabank event type.")
    themes: list[TermOut] = Field(description="UiTdatabank themes (genres).")
    age_min: int | None
    age_max: int | None
    language: str
    duration_minutes: int | None
    tags: list[str]
    artists: list[str]
    next_starts_at: datetime | None = Field(description="Its first coming performance.")

    @staticmethod
    def resolve_house(production) -> str:
        return production.house.slug

    @staticmethod
    def resolve_themes(production) -> list:
        return list(production.themes.all())

    @staticmethod
    def resolve_artists(production) -> list[str]:
        return [artist.name for artist in production.artists.all()]

    @staticmethod
    def resolve_next_starts_at(production) -> datetime | None:
        start = production.next_starts_at
        return timezone.localtime(start) if start else None


class CategoryOut(Schema):
    id: int
    name: dict[str, str]


class TariffOut(Schema):
    id: int
    kind: str = Field(description="full, under_26, senior, student, … invitation.")
    name: dict[str, str] = Field(description="Per language; the kind's label if empty.")
    price: str = Field(
        description="Incl. VAT, in EUR, two decimals.", examples=["20.00"]
    )
    vat_rate: str = Field(examples=["6.00"])
    category: CategoryOut
    requires_proof: bool
    box_office_only: bool
    max_per_order: int | None
    min_per_order: int | None

    @staticmethod
    def resolve_name(tariff) -> dict:
        if tariff.name:
            return tariff.name
        return {code: _in(code, tariff.get_kind_display) for code in LANGUAGES}

    @staticmethod
    def resolve_price(tariff) -> str:
        return f"{tariff.price:.2f}"


class PerformanceOut(Schema):
    id: int
    production: int
    title: dict[str, str] = Field(description="The production's title per language.")
    house: str = Field(description="Slug of the house.")
    hall: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    doors_open_at: datetime | None
    status: str
    on_sale: bool = Field(description="Tickets can be bought now.")
    reason: str = Field(
        description="on_sale, sold_out, not_on_sale, not_started, ended or cancelled."
    )
    sold_out: bool
    available: int = Field(description="Places left (holds and sales counted).")
    tariffs: list[TariffOut] = Field(description="The performance's price list.")

    @staticmethod
    def resolve_tariffs(performance) -> list:
        return performance.price_list

    @staticmethod
    def resolve_on_sale(performance) -> bool:
        return performance.availability.on_sale

    @staticmethod
    def resolve_reason(performance) -> str:
        return str(performance.availability.reason)

    @staticmethod
    def resolve_sold_out(performance) -> bool:
        return performance.availability.sold_out

    @staticmethod
    def resolve_available(performance) -> int:
        return performance.availability.available

    @staticmethod
    def resolve_production(performance) -> int:
        return performance.production_id

    @staticmethod
    def resolve_title(performance) -> dict:
        return performance.production.title

    @staticmethod
    def resolve_house(performance) -> str:
        return performance.house.slug

    @staticmethod
    def resolve_hall(performance) -> str:
        return performance.hall.name

    @staticmethod
    def resolve_venue(performance) -> str:
        return performance.hall.venue.name

    @staticmethod
    def resolve_starts_at(performance) -> datetime:
        return timezone.localtime(performance.starts_at)

    @staticmethod
    def resolve_ends_at(performance) -> datetime:
        return timezone.localtime(performance.ends_at)

    @staticmethod
    def resolve_doors_open_at(performance) -> datetime | None:
        doors = performance.doors_open_at
        return timezone.localtime(doors) if doors else None


class ProductionFilter(Schema):
    house: str | None = Field(
        None, description="Only this house (its slug).", max_length=100, pattern=SLUG
    )
    limit: int = Field(100, ge=1, le=500)


class PerformanceFilter(ProductionFilter):
    pass


def with_sales(performances: list) -> list:
    """Attach live availability and the price list, batched (no query per item)."""
    availability = performances_availability(performances=performances)
    prices = price_lists(performances=performances)
    for performance in performances:
        performance.availability = availability[performance.pk]
        # Hidden tariffs (sold with a promo code only) are not listed publicly.
        performance.price_list = [
            t for t in prices[performance.pk] if not t.requires_code
        ]
    return performances


def _house(request, slug: str | None):
    if slug is None:
        return None
    return selectors.public_house_get(cluster=request.cluster, slug=slug)


@router.get("/productions", response=list[ProductionOut], summary="Coming productions")
def production_list(request, filters: Query[ProductionFilter]):
    """Productions of the cluster with at least one public performance to come."""
    house = _house(request, filters.house)
    return selectors.public_productions(cluster=request.cluster, house=house)[
        : filters.limit
    ]


@router.get(
    "/performances", response=list[PerformanceOut], summary="Coming performances"
)
def performance_list(request, filters: Query[PerformanceFilter]):
    """Public performances still to come, soonest first; times in Europe/Brussels.

    Each with its live availability (`on_sale`, `reason`, `sold_out`, `available`)
    and its price list (`tariffs`).
    """
    house = _house(request, filters.house)
    houses = request.cluster if house is None else [house]
    return with_sales(
        list(selectors.public_performances(houses=houses)[: filters.limit])
    )
