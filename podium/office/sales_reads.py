"""The office's own read model: sales per performance, shaped for its tables.

Plain reads (getters by pk, lists, order searches) are in `podium.sales.selectors`.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone

from podium.catalog.models import Performance
from podium.sales.models import Hold, Ticket
from podium.sales.selectors import Availability, performances_availability
from podium.tenancy.models import House


@dataclass
class SalesSummary:
    """Sold, held and available places of one performance, for the office tables."""

    sold: int
    held: int
    availability: Availability

    @property
    def available(self) -> int:
        return self.availability.available

    @property
    def sold_out(self) -> bool:
        return self.availability.sold_out


def performances_sales_summary(
    *, house: House, performances: list[Performance]
) -> dict[int, SalesSummary]:
    """Per performance: valid tickets, places in live holds and availability.

    Six queries however many performances there are (four of them availability's).
    """
    performances = [p for p in performances if p.house_id == house.pk]
    ids = [p.pk for p in performances]
    sold = dict(
        Ticket.objects.filter(
            house=house, performance__in=ids, state=Ticket.State.VALID
        )
        .values_list("performance")
        .annotate(count=Count("pk"))
        .values_list("performance", "count")
    )
    held: dict[int, int] = defaultdict(int)
    for performance_id, quantity in (
        Hold.objects.filter(
            house=house,
            performance__in=ids,
            state=Hold.State.HELD,
            expires_at__gt=timezone.now(),
        )
        .values_list("performance")
        .annotate(total=Sum("quantity"))
        .values_list("performance", "total")
    ):
        held[performance_id] = quantity
    availability = performances_availability(performances=performances)
    return {pk: SalesSummary(sold.get(pk, 0), held[pk], availability[pk]) for pk in ids}
