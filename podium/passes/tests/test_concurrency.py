"""Season launch: many buyers claim 10-show subscriptions at the same moment.

PostgreSQL only (row locks decide the races), like podium/sales/tests/test_concurrency.py.
Each claim takes all its performances or none; claims lock rows in primary-key order,
so buyers who list the performances in opposite orders cannot deadlock.
"""

import pytest
from django.db import connection

from podium.passes.errors import SubscriptionSoldOut
from podium.passes.models import Subscription
from podium.passes.services import (
    subscription_claim,
    subscription_compose,
    subscription_order_place,
)
from podium.sales.errors import SoldOut
from podium.sales.models import Hold, Quota, Ticket
from podium.sales.services.baskets import basket_create
from podium.sales.tests.concurrency import run_together
from podium.tenancy.scoping import house_scope, platform_scope

from .factories import choice_type, performances_on_sale

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 20
CAPACITY = 12
SHOWS = 10


def _buy_subscription(house, type_, performance_ids, index):
    with house_scope(house):
        basket = basket_create(house=house)
        try:
            subscription_claim(
                house=house,
                actor=None,
                basket=basket,
                composition=subscription_compose(
                    house=house, type=type_, performance_ids=performance_ids
                ),
            )
        except SubscriptionSoldOut as error:
            raise SoldOut(str(error)) from error
        subscription_order_place(
            house=house,
            actor=None,
            basket=basket,
            buyer_name=f"Abonnee {index}",
            buyer_email=f"abonnee{index}@example.be",
        )


def test_twenty_buyers_of_ten_shows_for_twelve_places_all_or_nothing(house):
    with house_scope(house):
        rows = performances_on_sale(house, SHOWS, size=CAPACITY)
        performances = [p for p, _t, _q in rows]
        type_ = choice_type(house, performances, low=4, high=SHOWS)
    ids = [p.pk for p in performances]

    outcomes = run_together(
        [
            # Half the buyers list the shows backwards: no deadlock either way.
            lambda i=i: _buy_subscription(house, type_, ids if i % 2 else ids[::-1], i)
            for i in range(BUYERS)
        ]
    )

    assert sorted(set(outcomes)) == ["sold", "sold_out"], outcomes
    assert outcomes.count("sold") == CAPACITY
    assert outcomes.count("sold_out") == BUYERS - CAPACITY
    with platform_scope():
        assert [Quota.objects.get(pk=q.pk).used for _p, _t, q in rows] == [
            CAPACITY
        ] * SHOWS
        assert Ticket.objects.filter(performance__in=ids).count() == CAPACITY * SHOWS
        assert Subscription.objects.filter(order__isnull=False).count() == CAPACITY
        assert not Subscription.objects.filter(order__isnull=True).exists()
        assert not Hold.objects.filter(state=Hold.State.HELD).exists()
        for subscription in Subscription.objects.all():
            assert subscription.tickets.count() == SHOWS


def test_the_last_places_of_one_show_go_to_whole_subscriptions_only(house):
    with house_scope(house):
        rows = performances_on_sale(house, SHOWS, size=CAPACITY)
        performances = [p for p, _t, _q in rows]
        type_ = choice_type(house, performances, low=4, high=SHOWS)
        # One show has 3 places left; the others plenty.
        Quota.objects.filter(pk=rows[5][2].pk).update(used=CAPACITY - 3)
    ids = [p.pk for p in performances]

    outcomes = run_together(
        [lambda i=i: _buy_subscription(house, type_, ids, i) for i in range(8)]
    )

    assert outcomes.count("sold") == 3
    assert outcomes.count("sold_out") == 5
    with platform_scope():
        used = [Quota.objects.get(pk=q.pk).used for _p, _t, q in rows]
        assert used == [3] * 5 + [CAPACITY] + [3] * 4
        assert not Hold.objects.filter(state=Hold.State.HELD).exists()
