from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales import hooks
from podium.sales.errors import IllegalTransition, SalesError, SoldOut
from podium.sales.models import (
    Hold,
    Order,
    OrderTransition,
    Quota,
    SalesSettings,
    Tariff,
    Ticket,
)
from podium.sales.selectors import order_get, order_list
from podium.sales.services import orders
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import (
    CODE_ALPHABET,
    order_cancel,
    order_code_new,
    order_expire,
    order_mark_paid,
    order_place,
    orders_expire_overdue,
    tickets_release,
)
from podium.sales.services.pricing import split_vat, tariff_update
from podium.sales.states import order_transition
from podium.sales.tests.factories import (
    QuotaFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.tenancy.scoping import house_scope

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


STATES = list(Order.State)
PAIRS = [(a, b) for a in STATES for b in STATES]


def _order_in(house, state):
    return Order.objects.create(
        house=house,
        code=f"T{STATES.index(state)}X{Order.objects.count():02d}",
        buyer_name="An",
        buyer_email="an@example.be",
        state=state,
    )


@pytest.mark.parametrize(("from_state", "to_state"), PAIRS)
def test_the_state_machine_allows_exactly_its_transitions(scoped, from_state, to_state):
    order = _order_in(scoped, from_state)
    allowed = {
        ("pending", "paid"),
        ("pending", "expired"),
        ("pending", "cancelled"),
        ("paid", "cancelled"),
        ("paid", "partially_refunded"),
        ("paid", "refunded"),
        ("partially_refunded", "partially_refunded"),
        ("partially_refunded", "refunded"),
    }

    if (from_state, to_state) in allowed:
        with transaction.atomic():
            order_transition(order=order, to=to_state, note="test")
        assert Order.objects.get(pk=order.pk).state == to_state
        assert list(
            OrderTransition.objects.filter(order=order).values_list(
                "from_state", "to_state", "note"
            )
        ) == [(from_state, to_state, "test")]
    else:
        with pytest.raises(IllegalTransition), transaction.atomic():
            order_transition(order=order, to=to_state)
        assert Order.objects.get(pk=order.pk).state == from_state
        assert not OrderTransition.objects.filter(order=order).exists()


def test_a_stale_order_object_cannot_transition_twice(scoped):
    order = _order_in(scoped, Order.State.PENDING)
    stale = Order.objects.get(pk=order.pk)
    order_mark_paid(order=order)

    with pytest.raises(IllegalTransition):
        order_expire(order=stale)

    assert Order.objects.get(pk=order.pk).state == Order.State.PAID
    assert OrderTransition.objects.filter(order=order).count() == 1


def test_order_codes_are_unambiguous():
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_order_codes_are_six_characters_and_retry_on_a_clash(scoped, monkeypatch):
    taken = _order_in(scoped, Order.State.PENDING)
    taken.code = "AAAAAA"
    taken.save()
    draws = iter("AAAAAA" + "BBBBBB")
    monkeypatch.setattr(orders.secrets, "choice", lambda alphabet: next(draws))

    assert order_code_new() == "BBBBBB"


def test_a_paid_order_runs_the_paid_hooks_after_commit(
    scoped, show, monkeypatch, django_capture_on_commit_callbacks
):
    performance, tariff, quota = show
    order = _buy(scoped, performance, tariff, quantity=1)
    seen = []
    monkeypatch.setattr(hooks, "_order_paid", [seen.append])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_mark_paid(order=order, note="cash")
        assert seen == []
    for callback in callbacks:
        callback()

    order.refresh_from_db()
    assert (order.state, seen) == (Order.State.PAID, [order.pk])
    assert order.paid_at is not None
    assert order.transitions.last().note == "cash"


def test_an_order_over_several_performances(scoped, house, show):
    performance, tariff, quota = show
    second, second_tariff, second_quota = on_sale_performance(
        house, price=Decimal("12.50")
    )
    second_tariff.vat_rate = "21.00"
    second_tariff.save()
    basket = basket_create(house=scoped)
    for perf, tar, quantity in ((performance, tariff, 1), (second, second_tariff, 2)):
        basket_add(
            house=scoped,
            actor=None,
            basket=basket,
            performance=perf,
            tariff=tar,
            quantity=quantity,
        )

    order = order_place(house=scoped, actor=None, basket=basket, **BUYER)

    assert order.total == Decimal("45.00")
    assert list(
        order.tickets.values_list(
            "performance_id", "price", "vat_rate", "net_amount", "vat_amount"
        )
    ) == [
        (
            performance.pk,
            Decimal("20.00"),
            Decimal("6.00"),
            Decimal("18.87"),
            Decimal("1.13"),
        ),
        (
            second.pk,
            Decimal("12.50"),
            Decimal("21.00"),
            Decimal("10.33"),
            Decimal("2.17"),
        ),
        (
            second.pk,
            Decimal("12.50"),
            Decimal("21.00"),
            Decimal("10.33"),
            Decimal("2.17"),
        ),
    ]
    assert set(Hold.objects.filter(basket=basket).values_list("state", flat=True)) == {
        Hold.State.ORDERED
    }
    assert len({t.secret for t in order.tickets.all()}) == 3


def test_a_price_change_after_the_order_does_not_touch_its_tickets(scoped, show):
    performance, tariff, quota = show
    order = _buy(scoped, performance, tariff, quantity=1)

    tariff_update(house=scoped, actor=None, tariff=tariff, price=Decimal("30.00"))

    assert order.tickets.get().price == Decimal("20.00")
    assert Order.objects.get(pk=order.pk).total == Decimal("20.00")


def test_a_free_order_carries_no_fees(scoped, house):
    SalesSettings.objects.create(
        house=scoped, fee_per_ticket=Decimal("1.00"), fee_per_order=Decimal("2.00")
    )
    performance, tariff, quota = on_sale_performance(house, price=Decimal("0.00"))

    order = _buy(scoped, performance, tariff, quantity=2)

    assert (order.total, order.fees.count()) == (Decimal("0.00"), 0)


def test_invitations_in_a_paid_order_carry_no_per_ticket_fee(scoped, show):
    SalesSettings.objects.create(
        house=scoped, fee_per_ticket=Decimal("1.00"), fee_per_order=Decimal("2.00")
    )
    performance, tariff, quota = show
    invitation = TariffFactory(
        category=tariff.category, price=Decimal("0.00"), kind=Tariff.Kind.INVITATION
    )
    basket = basket_create(house=scoped)
    for line, quantity in ((tariff, 2), (invitation, 3)):
        basket_add(
            house=scoped,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=line,
            quantity=quantity,
        )

    order = order_place(house=scoped, actor=None, basket=basket, **BUYER)

    assert sorted((f.kind, f.amount) for f in order.fees.all()) == [
        ("per_order", Decimal("2.00")),
        ("per_ticket", Decimal("2.00")),
    ]
    assert order.total == Decimal("44.00")


def test_an_order_is_pending_until_the_houses_payment_deadline(scoped, show):
    SalesSettings.objects.create(house=scoped, payment_minutes=45)
    performance, tariff, quota = show
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        order = _buy(scoped, performance, tariff, quantity=1, locale="fr")

    assert order.payment_deadline == now + timedelta(minutes=45)
    assert (order.locale, order.channel) == ("fr", "web")
    entry = AuditEntry.objects.get(action="podium.sales.order.placed")
    assert entry.data == {"code": order.code, "total": "20.00", "tickets": 1}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"buyer_name": "  "}, "buyer_name"),
        ({"buyer_name": "x" * 201}, "buyer_name"),
        ({"buyer_email": "an@"}, "buyer_email"),
        ({"buyer_email": ""}, "buyer_email"),
        ({"company_vat": "BE0123456789"}, "company_vat"),
        ({"company_vat": "NL123"}, "company_vat"),
    ],
)
def test_invalid_buyer_details_are_refused_and_the_basket_stays(
    scoped, show, fields, field
):
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

    with pytest.raises(SalesError) as error:
        order_place(house=scoped, actor=None, basket=basket, **{**BUYER, **fields})

    assert (error.value.code, error.value.field) == ("invalid", field)
    assert not Order.objects.exists()
    assert Hold.objects.get(basket=basket).state == Hold.State.HELD


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("BE 0403.170.701", "BE0403170701"),
        ("0403170701", "BE0403170701"),
        ("NL004495445B01", "NL004495445B01"),
        ("", ""),
    ],
)
def test_company_vat_numbers_are_checked_and_stored_compact(
    scoped, show, given, stored
):
    performance, tariff, quota = show

    order = _buy(scoped, performance, tariff, company_name="Acme", company_vat=given)

    assert Order.objects.get(pk=order.pk).company_vat == stored


def test_an_expired_basket_cannot_be_ordered(scoped, show):
    performance, tariff, quota = show
    basket = basket_create(house=scoped)
    basket_add(
        house=scoped,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=2,
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        with pytest.raises(SalesError) as error:
            order_place(house=scoped, actor=None, basket=basket, **BUYER)

    assert error.value.code == "basket_expired"
    assert not Order.objects.exists()
    assert Hold.objects.get(basket=basket).state == Hold.State.HELD
    assert Quota.objects.get(pk=quota.pk).used == 2


def test_a_basket_is_ordered_once(scoped, show):
    performance, tariff, quota = show
    order = _buy(scoped, performance, tariff, quantity=1)
    holds_basket = Hold.objects.get(performance=performance).basket

    with pytest.raises(SalesError) as error:
        order_place(house=scoped, actor=None, basket=holds_basket, **BUYER)

    assert error.value.code == "basket_empty"
    assert list(Order.objects.values_list("pk", flat=True)) == [order.pk]


def test_cancelling_a_paid_order_gives_the_places_back(scoped, show):
    performance, tariff, quota = show
    order = _buy(scoped, performance, tariff, quantity=3)
    order_mark_paid(order=order)

    order_cancel(house=scoped, actor=None, order=order, reason="show moved")

    order.refresh_from_db()
    assert order.state == Order.State.CANCELLED
    assert set(order.tickets.values_list("state", flat=True)) == {"cancelled"}
    assert Quota.objects.get(pk=quota.pk).used == 0
    assert order.transitions.last().note == "show moved"


def test_tickets_release_is_partial_and_once(scoped, house):
    performance, tariff, quota = on_sale_performance(house, size=10)
    balcony = QuotaFactory(performance=performance, size=5)
    order = _buy(scoped, performance, tariff, quantity=3)
    first, second, third = order.tickets.all()
    assert first.quota_ids == [quota.pk, balcony.pk]

    assert tickets_release(tickets=[first, second]) == 2
    assert tickets_release(tickets=[first, second, third]) == 1

    assert [t.state for t in order.tickets.all()] == ["refunded"] * 3
    assert [Quota.objects.get(pk=q.pk).used for q in (quota, balcony)] == [0, 0]


def test_another_houses_order_cannot_be_seen_or_cancelled(scoped, other_house):
    with house_scope(other_house):
        foreign_perf, foreign_tariff, foreign_quota = on_sale_performance(other_house)
        foreign = _buy(other_house, foreign_perf, foreign_tariff, quantity=1)

    with house_scope(scoped):
        with pytest.raises(NotFound):
            order_get(house=scoped, code=foreign.code)
        with pytest.raises(NotFound):
            order_cancel(house=scoped, actor=None, order=foreign)
        assert list(order_list(house=scoped)) == []

    with house_scope(other_house):
        assert Order.objects.get(pk=foreign.pk).state == Order.State.PENDING
        assert order_get(house=other_house, code=foreign.code.lower()).pk == foreign.pk
