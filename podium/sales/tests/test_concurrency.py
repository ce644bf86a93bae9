"""A popular show goes on sale: many buyers at the same moment, never one ticket too many.

Claims are conditional UPDATEs checked by PostgreSQL's row locks, so these tests run on
PostgreSQL (SQLite serialises every writer and has nothing to race). The threads need
committed data, hence `transactional_db` with serialized rollback (the flush would
otherwise wipe the taxonomy that a migration seeds).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from podium.sales.models import Basket, Hold, Order, Quota, Ticket
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.inventory import release_expired_holds
from podium.sales.services.orders import order_place
from podium.sales.tests.concurrency import run_together
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.scoping import house_scope, platform_scope

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 50
CAPACITY = 20


def _buy_one(house, performance, tariff, index):
    with house_scope(house):
        basket = basket_create(house=house)
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=1,
        )
        order_place(
            house=house,
            actor=None,
            basket=basket,
            buyer_name=f"Koper {index}",
            buyer_email=f"koper{index}@example.be",
        )


def _sold(house, performance, quota):
    with platform_scope():
        return (
            Ticket.objects.filter(performance=performance).count(),
            Order.objects.filter(house=house).count(),
            Quota.objects.get(pk=quota.pk).used,
        )


def test_fifty_buyers_for_twenty_places_end_with_exactly_twenty_tickets(house):
    performance, tariff, quota = on_sale_performance(house, size=CAPACITY)

    outcomes = run_together(
        [lambda i=i: _buy_one(house, performance, tariff, i) for i in range(BUYERS)]
    )

    assert sorted(set(outcomes)) == ["sold", "sold_out"]
    assert outcomes.count("sold") == CAPACITY
    assert outcomes.count("sold_out") == BUYERS - CAPACITY
    assert _sold(house, performance, quota) == (CAPACITY, CAPACITY, CAPACITY)


def test_holds_expiring_mid_run_return_exactly_once_and_nothing_is_oversold(house):
    performance, tariff, quota = on_sale_performance(house, size=CAPACITY)
    past = timezone.now() - timedelta(minutes=1)
    with platform_scope():
        stale = Basket.objects.create(
            house=house, token="stale-basket", expires_at=past
        )
        for _ in range(10):
            Hold.objects.create(
                house=house,
                basket=stale,
                performance=performance,
                tariff=tariff,
                quantity=1,
                quota_ids=[quota.pk],
                expires_at=past,
            )
        Quota.objects.filter(pk=quota.pk).update(used=10)

    def sweep():
        with platform_scope():
            release_expired_holds()

    jobs = [lambda i=i: _buy_one(house, performance, tariff, i) for i in range(BUYERS)]
    jobs += [sweep, sweep]
    outcomes = run_together(jobs)

    assert outcomes.count("sold") == CAPACITY + 2  # the two sweeps also report "sold"
    assert outcomes.count("sold_out") == BUYERS - CAPACITY
    assert _sold(house, performance, quota) == (CAPACITY, CAPACITY, CAPACITY)
    with platform_scope():
        assert (
            Hold.objects.filter(basket=stale, state=Hold.State.RELEASED).count() == 10
        )
