"""Public catalogue reads: a cluster's coming productions and performances."""

from datetime import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from podium.catalog import selectors

router = Router(tags=["catalog"])


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
    house: str | None = Field(None, description="Only this house (its slug).")
    limit: int = Field(100, ge=1, le=500)


class PerformanceFilter(ProductionFilter):
    pass


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
    """Public performances still to come, soonest first; times in Europe/Brussels."""
    house = _house(request, filters.house)
    houses = request.cluster if house is None else [house]
    return selectors.public_performances(houses=houses)[: filters.limit]
