"""Paid tickets of a performance on 28 March 2026 at 20:00 (Brussels), to scan.

The doors open at 18:30 (90 minutes before the start, no doors time set), the show
ends at 21:30, and tickets admit until 22:30.
"""

from podium.sales.models import Order
from podium.sales.tests.test_tickets_support import (
    brussels,
    make_order,
    make_performance,
)

STARTS = brussels(2026, 3, 28, 20, 0)
DURING = brussels(2026, 3, 28, 19, 45)  # doors open, show not yet started


def show(house, **extra):
    """A performance of "The Tempest" starting at STARTS."""
    return make_performance(house, starts_at=extra.pop("starts_at", STARTS), **extra)


def paid_tickets(house, performance, count=1, state=Order.State.PAID):
    """`count` tickets of one order for `performance`, in ticket id order."""
    order = make_order(house, performances=[performance], tickets=count, state=state)
    return list(order.tickets.order_by("pk"))
