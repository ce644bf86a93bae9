"""What an on-sale sold, read straight from the database, for `bench/onsale.py`.

Prints one JSON line: {"performance", "capacity", "sold", "oversold", "seats_double",
"orders_paid", "orders_pending"}. `sold` counts the valid tickets of paid and pending
orders; `oversold` is how many of them are above capacity; `seats_double` how many
seats more than one such ticket has.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum

from podium.catalog.models import Performance
from podium.sales.models import Order, Quota, Ticket
from podium.seating.models import PerformanceSeat
from podium.tenancy.scoping import house_scope

SELLING = (Order.State.PAID, Order.State.PENDING)


class Command(BaseCommand):
    help = "Print capacity, sold and oversold of a performance as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--performance", type=int, required=True)

    def handle(self, *args, performance, **options):
        found = (
            Performance._base_manager.filter(pk=performance)
            .select_related("house")
            .first()
        )
        if found is None:
            raise CommandError(f"No performance {performance}.")
        with house_scope(found.house):
            self.stdout.write(json.dumps(onsale_figures(found)))


def onsale_figures(performance: Performance) -> dict:
    house = performance.house
    capacity = (
        Quota.objects.filter(house=house, performance=performance).aggregate(
            size=Sum("size")
        )["size"]
        or 0
    )
    seats = PerformanceSeat.objects.filter(house=house, performance=performance)
    if seats.exists():
        capacity = min(
            capacity, seats.exclude(state=PerformanceSeat.State.BLOCKED).count()
        )
    tickets = Ticket.objects.filter(
        house=house,
        performance=performance,
        state=Ticket.State.VALID,
        order__state__in=SELLING,
    )
    sold = tickets.count()
    doubles = (
        tickets.exclude(seat_id=None)
        .values("seat_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    orders = dict(
        Order.objects.filter(house=house, tickets__performance=performance)
        .values_list("state")
        .annotate(n=Count("pk", distinct=True))
    )
    return {
        "performance": performance.pk,
        "capacity": capacity,
        "sold": sold,
        "oversold": max(0, sold - capacity),
        "seats_double": doubles,
        "orders_paid": orders.get(Order.State.PAID, 0),
        "orders_pending": orders.get(Order.State.PENDING, 0),
    }
