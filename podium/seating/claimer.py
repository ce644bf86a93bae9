"""The seat claimer sales calls: seats are held, sold and freed by conditional UPDATEs.

A claim changes exactly the requested rows from free to held and compares the row
count with the request; fewer means one was taken meanwhile, and the caller's
transaction rolls back the rest. Nothing is read, then written.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from podium.catalog.models import Performance
from podium.core.i18n import localize
from podium.sales.errors import SalesError, SalesErrorCode, SoldOut
from podium.sales.models import PriceCategory

from .models import PerformanceSeat, PerformanceSeating, ZoneCategory

State = PerformanceSeat.State


class SeatClaimer:
    def required(self, *, performance: Performance) -> bool:
        return PerformanceSeating.objects.filter(
            house_id=performance.house_id, performance_id=performance.pk
        ).exists()

    def claim_seats(
        self, *, performance: Performance, category: PriceCategory, ids: list[int]
    ) -> list[int]:
        zones = ZoneCategory.objects.filter(
            seating__performance_id=performance.pk, category_id=category.pk
        ).values_list("zone", flat=True)
        seats = PerformanceSeat.objects.filter(
            pk__in=ids, house_id=performance.house_id, performance_id=performance.pk
        )
        if seats.filter(seat__zone__in=list(zones)).count() != len(ids):
            raise SalesError(
                _("These seats are not sold at this price."),
                code=SalesErrorCode.INVALID,
            )
        taken = seats.filter(state=State.FREE).update(state=State.HELD)
        if taken != len(ids):
            raise SoldOut(_("A seat you chose was just taken by someone else."))
        return list(ids)

    def sell(self, *, ids: list[int]) -> None:
        PerformanceSeat.objects.filter(pk__in=ids, state=State.HELD).update(
            state=State.SOLD
        )

    def release(self, *, ids: list[int], quantity: int) -> None:
        PerformanceSeat.objects.filter(
            pk__in=ids, state__in=(State.HELD, State.SOLD)
        ).update(state=State.FREE)

    def free_by_category(
        self, *, performance_ids: list[int], also_free: set[int]
    ) -> dict[int, dict[int, int]]:
        free: dict[int, dict[int, int]] = {
            performance_id: {}
            for performance_id in PerformanceSeating.objects.filter(
                performance_id__in=performance_ids
            ).values_list("performance_id", flat=True)
        }
        if not free:
            return {}
        category_of = {
            (performance_id, zone): category_id
            for performance_id, zone, category_id in ZoneCategory.objects.filter(
                seating__performance_id__in=list(free)
            ).values_list("seating__performance_id", "zone", "category_id")
        }
        rows = (
            PerformanceSeat.objects.filter(performance_id__in=list(free))
            .filter(Q(state=State.FREE) | Q(pk__in=also_free, state=State.HELD))
            .values("performance_id", "seat__zone")
            .annotate(n=Count("pk"))
            .values_list("performance_id", "seat__zone", "n")
        )
        for performance_id, zone, count in rows:
            category_id = category_of.get((performance_id, zone))
            if category_id is not None:
                counts = free[performance_id]
                counts[category_id] = counts.get(category_id, 0) + count
        return free

    def labels(self, *, ids: list[int], language: str) -> dict[int, str]:
        seats = PerformanceSeat.objects.filter(pk__in=ids).select_related(
            "seat__section"
        )
        return {seat.pk: seat_label(seat.seat, language) for seat in seats}


def seat_label(seat, language: str) -> str:
    """ "Balkon, rij C, stoel 12" in the buyer's language."""
    from django.utils import translation

    with translation.override(language):
        return str(
            _("%(section)s, row %(row)s, seat %(number)s")
            % {
                "section": localize(seat.section.name, language),
                "row": seat.row,
                "number": seat.number,
            }
        )
