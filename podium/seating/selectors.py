"""Reading a performance's seats: states, labels and zones, for pickers and reports."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from podium.catalog.models import Performance
from podium.core.i18n import localize
from podium.sales.models import Tariff
from podium.sales.services.pricing import price_list

from .models import PerformanceSeat, PerformanceSeating, SeatPlan


def performance_seating(*, performance: Performance) -> PerformanceSeating | None:
    return (
        PerformanceSeating.objects.filter(
            house_id=performance.house_id, performance=performance
        )
        .select_related("plan")
        .prefetch_related("zones__category")
        .first()
    )


def performance_seats(*, performance: Performance) -> list[PerformanceSeat]:
    """Every seat of the performance with its plan seat and section, in plan order."""
    return list(
        PerformanceSeat.objects.filter(
            house_id=performance.house_id, performance=performance
        )
        .select_related("seat__section")
        .order_by("seat__section__position", "seat__row_order", "seat__order")
    )


def seat_counts(*, performance: Performance) -> Counter:
    """How many seats are free, held, sold and blocked."""
    rows = (
        PerformanceSeat.objects.filter(
            house_id=performance.house_id, performance=performance
        )
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return Counter(dict(rows))


def hall_plan_current(*, hall) -> SeatPlan | None:
    """The newest version of the hall's seat plan, if it has one."""
    return (
        SeatPlan.objects.filter(house_id=hall.house_id, hall=hall)
        .order_by("-version")
        .first()
    )


def zone_prices(*, seating: PerformanceSeating) -> dict[int, Decimal]:
    """The price a seat's accessible name tells: each zone's full price (the lowest
    public price when the zone has no full-price tariff)."""
    tariffs = price_list(performance=seating.performance)
    prices: dict[int, Decimal] = {}
    for zone in seating.zones.all():
        public = [
            t
            for t in tariffs
            if t.category_id == zone.category_id
            and not t.box_office_only
            and not t.requires_code
        ]
        full = [t.price for t in public if t.kind == Tariff.Kind.FULL]
        if full or public:
            prices[zone.zone] = min(full or [t.price for t in public])
    return prices


def seat_states(*, performance: Performance) -> list[tuple[int, str]]:
    """(seat id, state) of every seat of the performance: the picker's refresh."""
    return list(
        PerformanceSeat.objects.filter(
            house_id=performance.house_id, performance=performance
        ).values_list("pk", "state")
    )


def zone_legend(*, seating: PerformanceSeating, language: str) -> list[dict]:
    """[{"zone": 1, "label": "Rank 1: Rang 1"}, …]: the picker's legend of ranks."""
    with translation.override(language):
        return [
            {
                "zone": zone.zone,
                "label": _("Rank %(zone)s: %(category)s")
                % {
                    "zone": zone.zone,
                    "category": localize(zone.category.name, language),
                },
            }
            for zone in seating.zones.all()
        ]
