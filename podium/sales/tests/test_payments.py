"""Starting, confirming and failing payments; which provider may pay which order."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Order, OrderTransition, Payment, SalesSettings
from podium.sales.payments import provider_get, providers
from podium.sales.payments.ogm import ogm_from_number
from podium.sales.services.orders import order_expire, orders_expire_overdue
from podium.sales.services.payments import (
    payment_confirm,
    payment_fail,
    payment_start,
)
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.models import StaffRole

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)  # 11:00 in Brussels


@pytest.fixture
def settings_row(house):
    return SalesSettings.objects.create(
        house=house,
        bank_account_iban="BE68539007547034",
        mollie_api_key="test_podiumhouseakey0000000000",
        bank_transfer_days=5,
        payment_minutes=30,
    )


@pytest.fixture
def cashier(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING)


@pytest.fixture
def show(house):
    return on_sale_performance(house, price=Decimal("20.00"))


@pytest.fixture
def free_show(house):
    return on_sale_performance(house, price=Decimal("0.00"))


def _state():
    return (
        sorted(Order.objects.values_list("code", "state", "payment_deadline")),
        list(Payment.objects.values_list("pk", "state")),
        OrderTransition.objects.count(),
        AuditEntry.objects.count(),
    )


def test_registry_lists_the_five_providers():
    assert [p.name for p in providers()] == [
        "free",
        "cash",
        "card_terminal",
        "bank_transfer",
        "mollie",
    ]
    assert [p.name for p in providers() if p.supports_refund] == ["free", "mollie"]
    assert provider_get("paypal") is None


def test_free_confirms_an_order_of_zero_euro_at_once(settings_row, free_show, scoped):
    performance, tariff, _quota = free_show
    order = buy(scoped, performance, tariff, quantity=2)

    payment = payment_start(house=scoped, actor=None, order=order, provider="free")

    order.refresh_from_db()
    assert (payment.provider, payment.amount, payment.state) == (
        "free",
        Decimal("0.00"),
        Payment.State.PAID,
    )
    assert order.state == Order.State.PAID
    assert list(order.transitions.values_list("to_state", "note")) == [
        ("pending", ""),
        ("paid", "free"),
    ]


@pytest.mark.parametrize("provider", ["bank_transfer", "mollie", "cash"])
def test_an_order_of_zero_euro_needs_no_payment(
    settings_row, free_show, scoped, cashier, provider
):
    performance, tariff, _quota = free_show
    order = buy(
        scoped,
        performance,
        tariff,
        channel="box_office" if provider == "cash" else "web",
    )
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=cashier, order=order, provider=provider)

    assert error.value.code == SalesErrorCode.INVALID
    assert str(error.value) == "An order of 0 EUR needs no payment."
    assert _state() == before


def test_free_is_refused_for_an_order_that_costs_money(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=None, order=order, provider="free")

    assert str(error.value) == "Only an order of 0 EUR can be confirmed for free."
    assert _state() == before


@pytest.mark.parametrize("provider", ["cash", "card_terminal"])
def test_box_office_payment_by_staff_pays_at_once(
    settings_row, show, scoped, cashier, provider
):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff, quantity=2, channel="box_office")

    payment = payment_start(house=scoped, actor=cashier, order=order, provider=provider)

    order.refresh_from_db()
    assert (payment.amount, payment.state) == (Decimal("40.00"), Payment.State.PAID)
    assert payment.paid_at is not None
    assert order.state == Order.State.PAID
    transition = order.transitions.get(to_state="paid")
    assert (transition.actor, transition.note) == (cashier, provider)


@pytest.mark.parametrize("provider", ["cash", "card_terminal"])
def test_box_office_providers_are_refused_in_the_webshop(
    settings_row, show, scoped, cashier, provider
):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff, channel="web")
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=cashier, order=order, provider=provider)

    assert "cannot be used for an order of the Webshop" in str(error.value)
    assert _state() == before


@pytest.mark.parametrize("who", ["anonymous", "other_house_staff"])
def test_cash_needs_staff_of_this_house(
    settings_row, show, scoped, other_house, staff_factory, who
):
    actor = None
    if who == "other_house_staff":
        actor = staff_factory(other_house, StaffRole.Role.TICKETING)
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff, channel="box_office")
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=actor, order=order, provider="cash")

    assert str(error.value) == "Cash is only for staff at the box office."
    assert _state() == before


def test_mollie_is_not_offered_at_the_box_office(settings_row, show, scoped, cashier):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff, channel="box_office")
    before = _state()

    with pytest.raises(SalesError):
        payment_start(house=scoped, actor=cashier, order=order, provider="mollie")

    assert _state() == before


@pytest.mark.parametrize(
    ("provider", "field"),
    [("bank_transfer", "bank_account_iban"), ("mollie", "mollie_api_key")],
)
def test_a_provider_the_house_has_not_set_up_is_refused(
    settings_row, show, scoped, provider, field
):
    SalesSettings.objects.filter(pk=settings_row.pk).update(**{field: ""})
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=None, order=order, provider=provider)

    assert "is not set up for this house" in str(error.value)
    assert _state() == before


def test_an_unknown_provider_is_refused(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=None, order=order, provider="paypal")

    assert str(error.value) == "This payment method does not exist."
    assert Payment.objects.count() == 0


def test_another_houses_order_cannot_be_paid_here(
    settings_row, show, house, other_house, scoped
):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)

    with pytest.raises(NotFound):
        payment_start(house=other_house, actor=None, order=order, provider="free")

    assert Payment.objects.count() == 0


def test_an_expired_order_cannot_be_paid(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    order_expire(order=order)
    before = _state()

    with pytest.raises(SalesError) as error:
        payment_start(house=scoped, actor=None, order=order, provider="bank_transfer")

    assert error.value.code == SalesErrorCode.PAYMENT_FAILED
    assert _state() == before


@time_machine.travel(NOW, tick=False)
def test_bank_transfer_gives_a_structured_communication_and_a_longer_deadline(
    settings_row, show, scoped
):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff, quantity=3)
    assert order.payment_deadline == NOW + timedelta(minutes=30)

    payment = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )

    order.refresh_from_db()
    assert payment.state == Payment.State.PENDING
    assert payment.amount == Decimal("60.00")
    assert payment.structured_communication == ogm_from_number(payment.pk)
    assert payment.checkout_url == ""
    # five days, to the end of that day in Brussels (UTC+1 in March)
    assert order.payment_deadline == datetime(2025, 3, 8, 22, 59, 59, tzinfo=UTC)
    assert order.state == Order.State.PENDING


@time_machine.travel(NOW, tick=False)
def test_asking_again_for_the_transfer_details_keeps_one_communication(
    settings_row, show, scoped
):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    first = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )

    again = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )

    assert again.pk == first.pk
    assert again.structured_communication == first.structured_communication
    assert Payment.objects.count() == 1


def test_bank_transfer_order_outlives_the_online_deadline_then_expires(
    settings_row, show, scoped
):
    performance, tariff, quota = show
    with time_machine.travel(NOW, tick=False):
        bank_order = buy(scoped, performance, tariff)
        payment_start(
            house=scoped, actor=None, order=bank_order, provider="bank_transfer"
        )
        online_order = buy(scoped, performance, tariff)

    assert orders_expire_overdue(now=NOW + timedelta(hours=1)) == 1
    bank_order.refresh_from_db()
    online_order.refresh_from_db()
    assert (bank_order.state, online_order.state) == ("pending", "expired")

    assert orders_expire_overdue(now=NOW + timedelta(days=6)) == 1
    bank_order.refresh_from_db()
    quota.refresh_from_db()
    assert bank_order.state == Order.State.EXPIRED
    assert quota.used == 0


def test_confirming_twice_changes_nothing_the_second_time(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    payment = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )
    payment_confirm(payment=payment, note="bank")
    before = _state()

    again = payment_confirm(payment=payment, note="bank")

    assert again.state == Payment.State.PAID
    assert _state() == before


def test_failing_a_payment_leaves_the_order_waiting(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    payment = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )

    failed = payment_fail(payment=payment, state=Payment.State.CANCELLED)

    order.refresh_from_db()
    assert failed.state == Payment.State.CANCELLED
    assert order.state == Order.State.PENDING


def test_a_paid_payment_is_never_failed_afterwards(settings_row, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    payment = payment_start(
        house=scoped, actor=None, order=order, provider="bank_transfer"
    )
    payment_confirm(payment=payment)
    before = _state()

    result = payment_fail(payment=payment)

    assert result.state == Payment.State.PAID
    assert _state() == before
