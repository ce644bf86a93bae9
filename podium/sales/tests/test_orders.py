from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from podium.core.errors import NotFound
from podium.sales.errors import IllegalTransition, SalesError, SoldOut
from podium.sales.models import (
    Hold,
    Order,
    OrderTransition,
    Quota,
    SalesSettings,
    Ticket,
)
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import (
    CODE_ALPHABET,
    order_cancel,
    order_mark_paid,
    order_place,
    orders_expire_overdue,
)
from podium.sales.services.pricing import split_vat
from podium.sales.tests.factories import on_sale_performance

BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


@pytest.fixture
def show(house):
    return on_sale_performance(house, size=10)


def _buy(house, performance, tariff, quantity=2, **extra):
    basket = basket_create(house=house)
    basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
    )
    return order_place(house=house, actor=None, basket=basket, **BUYER, **extra)


@pytest.mark.parametrize(
    ("gross", "rate", "net", "vat"),
    [
        ("20.00", "6.00", "18.87", "1.13"),
        ("17.00", "21.00", "14.05", "2.95"),
        ("0.01", "6.00", "0.01", "0.00"),
        ("33.33", "21.00", "27.55", "5.78"),
        ("0.00", "6.00", "0.00", "0.00"),
    ],
)
def test_vat_split_adds_up_to_the_price(gross, rate, net, vat):
    assert split_vat(Decimal(gross), Decimal(rate)) == (Decimal(net), Decimal(vat))


def test_an_order_snapshots_prices_vat_and_fees(scoped, show):
    performance, tariff, quota = show
    SalesSettings.objects.create(
        house=scoped, fee_per_ticket=Decimal("1.00"), fee_per_order=Decimal("0.50")
    )

    order = _buy(scoped, performance, tariff, quantity=3)

    assert order.state == Order.State.PENDING
    assert set(order.code) <= set(CODE_ALPHABET) and len(order.code) == 6
    assert order.total == Decimal("63.50")
    assert [(t.price, t.vat_amount, t.net_amount) for t in order.tickets.all()] == [
        (Decimal("20.00"), Decimal("1.13"), Decimal("18.87"))
    ] * 3
    assert sorted((f.kind, f.amount) for f in order.fees.all()) == [
        ("per_order", Decimal("0.50")),
        ("per_ticket", Decimal("3.00")),
    ]
    assert Quota.objects.get(pk=quota.pk).used == 3
    assert list(
        OrderTransition.objects.filter(order=order).values_list(
            "from_state", "to_state"
        )
    ) == [("", "pending")]


def test_the_same_idempotency_key_gives_the_same_order_once(scoped, show):
    performance, tariff, quota = show
    first = _buy(scoped, performance, tariff, idempotency_key="k-1", fingerprint="abc")
    basket = basket_create(house=scoped)
    basket_add(
        house=scoped,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=2,
    )

    again = order_place(
        house=scoped,
        actor=None,
        basket=basket,
        **BUYER,
        idempotency_key="k-1",
        fingerprint="abc",
    )

    assert again.pk == first.pk
    assert Ticket.objects.filter(performance=performance).count() == 2
    with pytest.raises(SalesError) as mismatch:
        order_place(
            house=scoped,
            actor=None,
            basket=basket,
            **BUYER,
            idempotency_key="k-1",
            fingerprint="other",
        )
    assert mismatch.value.code == "idempotency_mismatch"


def test_selling_more_than_the_quota_is_refused_and_changes_nothing(scoped, show):
    performance, tariff, quota = show
    _buy(scoped, performance, tariff, quantity=9)
    basket = basket_create(house=scoped)

    with pytest.raises(SoldOut):
        basket_add(
            house=scoped,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=2,
        )

    assert Quota.objects.get(pk=quota.pk).used == 9
    assert not Hold.objects.filter(basket=basket).exists()


def test_an_expired_hold_is_released_by_the_next_claim(scoped, show):
    performance, tariff, quota = show
    stale = basket_create(house=scoped)
    basket_add(
        house=scoped,
        actor=None,
        basket=stale,
        performance=performance,
        tariff=tariff,
        quantity=10,
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        fresh = basket_create(house=scoped)
        basket_add(
            house=scoped,
            actor=None,
            basket=fresh,
            performance=performance,
            tariff=tariff,
            quantity=4,
        )

    assert Hold.objects.get(basket=stale).state == Hold.State.RELEASED
    assert Quota.objects.get(pk=quota.pk).used == 4


def test_an_unpaid_order_expires_and_gives_its_places_back(scoped, show):
    performance, tariff, quota = show
    order = _buy(scoped, performance, tariff, quantity=2)

    expired = orders_expire_overdue(now=timezone.now() + timedelta(hours=1))

    order.refresh_from_db()
    assert (expired, order.state) == (1, Order.State.EXPIRED)
    assert set(order.tickets.values_list("state", flat=True)) == {
        Ticket.State.CANCELLED
    }
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_a_paid_order_cannot_expire_and_a_cancelled_one_cannot_be_paid(scoped, show):
    performance, tariff, quota = show
    paid = _buy(scoped, performance, tariff, quantity=1)
    order_mark_paid(order=paid)
    cancelled = _buy(scoped, performance, tariff, quantity=1)
    order_cancel(house=scoped, actor=None, order=cancelled, reason="test")

    assert orders_expire_overdue(now=timezone.now() + timedelta(hours=1)) == 0
    with pytest.raises(IllegalTransition):
        order_mark_paid(order=cancelled)
    assert Order.objects.get(pk=paid.pk).state == Order.State.PAID
    assert Quota.objects.get(pk=quota.pk).used == 1


def test_another_houses_basket_cannot_be_ordered(scoped, show, other_house):
    performance, tariff, quota = show
    basket = basket_create(house=scoped)
    basket_add(
        house=scoped,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=1,
    )

    with pytest.raises((SalesError, NotFound)):
        order_place(house=other_house, actor=None, basket=basket, **BUYER)

    assert not Order.objects.exists()
