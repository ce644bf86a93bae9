"""Forty buyers reach for overlapping seats at the same moment: each seat sold once.

On PostgreSQL (row locks decide); SQLite serialises writers and has nothing to race.
"""

import pytest
from django.db import connection
from django.db.models import Count

from podium.sales.models import Quota, Ticket
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tests.concurrency import run_together
from podium.sales.tests.factories import on_sale_performance
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.tenancy.scoping import house_scope, platform_scope

from .test_seat_sales import small_plan

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 40
SEATS_IN_ROW = 10


def _buy(house, performance, tariff, seat_ids, index):
    with house_scope(house):
        basket = basket_create(house=house)
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            seats=seat_ids,
        )
        order_place(
            house=house,
            actor=None,
            basket=basket,
            buyer_name=f"Koper {index}",
            buyer_email=f"koper{index}@example.be",
        )


def test_forty_buyers_on_overlapping_seats_never_share_one(house):
    with house_scope(house):
        performance, tariff, quota = on_sale_performance(house, size=500)
        plan = small_plan(performance.hall, rows=1, seats=SEATS_IN_ROW)
        performance_seating_setup(
            house=house,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: tariff.category},
        )
        row = list(
            PerformanceSeat.objects.filter(performance=performance)
            .order_by("seat__order")
            .values_list("pk", flat=True)
        )
    # Buyer i wants seats i and i+1 (mod the row): every seat is wanted by 8 buyers.
    wanted = [
        [row[i % (SEATS_IN_ROW - 1)], row[i % (SEATS_IN_ROW - 1) + 1]]
        for i in range(BUYERS)
    ]

    outcomes = run_together(
        [
            (lambda i=i: _buy(house, performance, tariff, wanted[i], i))
            for i in range(BUYERS)
        ]
    )

    assert set(outcomes) <= {"sold", "sold_out"}, outcomes
    with platform_scope():
        tickets = Ticket.objects.filter(performance=performance)
        per_seat = tickets.values("seat_id").annotate(n=Count("pk"))
        assert all(row["n"] == 1 for row in per_seat)
        sold = tickets.count()
        assert sold == 2 * outcomes.count("sold")
        assert 2 <= sold <= SEATS_IN_ROW
        assert (
            PerformanceSeat.objects.filter(
                performance=performance, state="sold"
            ).count()
            == sold
        )
        assert set(tickets.values_list("seat_id", flat=True)) == set(
            PerformanceSeat.objects.filter(
                performance=performance, state="sold"
            ).values_list("pk", flat=True)
        )
        assert Quota.objects.get(pk=quota.pk).used == sold
