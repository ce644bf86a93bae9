"""Refunds of whole orders and of some tickets; cancelling a performance in bulk."""

from decimal import Decimal

import pytest
from django.core import mail

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import (
    Order,
    OrderTransition,
    PerformanceCancellation,
    Quota,
    Refund,
    SalesSettings,
    Ticket,
)
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.services.payments import mollie_webhook_handle, payment_start
from podium.sales.services.refunds import (
    order_refund,
    performance_cancel_run,
    performance_cancel_start,
)
from podium.sales.tests.factories import (
    QuotaFactory,
    TariffFactory,
    buy,
    on_sale_performance,
)
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.tenancy.models import StaffRole


@pytest.fixture
def fees(house, settings):
    settings.PODIUM_PUBLIC_URL = "https://tickets.example"
    return SalesSettings.objects.create(
        house=house,
        fee_per_ticket=Decimal("1.00"),
        fee_per_order=Decimal("2.00"),
        mollie_api_key=API_KEY,
        bank_account_iban="BE68539007547034",
    )


@pytest.fixture
def cashier(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING)


@pytest.fixture
def show(house):
    return on_sale_performance(house, size=50, price=Decimal("20.00"))


def _paid_cash(house, show, cashier, quantity=3, **fields):
    performance, tariff, _quota = show
    order = buy(
        house, performance, tariff, quantity=quantity, channel="box_office", **fields
    )
    payment_start(house=house, actor=cashier, order=order, provider="cash")
    order.refresh_from_db()
    return order


def _paid_mollie(house, show, server, quantity=3, **fields):
    performance, tariff, _quota = show
    order = buy(house, performance, tariff, quantity=quantity, **fields)
    payment = payment_start(house=house, actor=None, order=order, provider="mollie")
    server.set_status(payment.external_id, "paid")
    mollie_webhook_handle(external_id=payment.external_id)
    order.refresh_from_db()
    return order, payment


def _state():
    return (
        sorted(Order.objects.values_list("code", "state")),
        sorted(Ticket.objects.values_list("pk", "state")),
        sorted(Quota.objects.values_list("pk", "used")),
        Refund.objects.count(),
        OrderTransition.objects.count(),
        AuditEntry.objects.count(),
    )


def test_refund_of_a_whole_cash_order_is_manual(fees, show, cashier, scoped):
    order = _paid_cash(scoped, show, cashier)  # 3 × 20.00 + 3 × 1.00 + 2.00
    assert order.total == Decimal("65.00")

    refund = order_refund(house=scoped, actor=cashier, order=order, reason="ziek")

    order.refresh_from_db()
    _performance, _tariff, quota = show
    quota.refresh_from_db()
    assert (refund.amount, refund.state, refund.reason) == (
        Decimal("65.00"),
        Refund.State.MANUAL,
        "ziek",
    )
    assert refund.created_by == cashier
    assert refund.payment.provider == "cash"
    assert set(refund.tickets.values_list("state", flat=True)) == {"refunded"}
    assert refund.tickets.count() == 3
    assert order.state == Order.State.REFUNDED
    assert quota.used == 0
    assert order.transitions.last().actor == cashier


def test_partial_then_the_rest(fees, show, cashier, scoped):
    order = _paid_cash(scoped, show, cashier)
    first_ticket, *rest = list(order.tickets.order_by("pk"))
    _performance, _tariff, quota = show

    partial = order_refund(
        house=scoped, actor=cashier, order=order, tickets=[first_ticket]
    )

    order.refresh_from_db()
    quota.refresh_from_db()
    assert partial.amount == Decimal("21.00")  # price + its per-ticket fee
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert quota.used == 2
    assert list(order.tickets.values_list("state", flat=True)) == [
        "refunded",
        "valid",
        "valid",
    ]

    last = order_refund(house=scoped, actor=cashier, order=order, tickets=rest)

    order.refresh_from_db()
    quota.refresh_from_db()
    assert last.amount == Decimal("44.00")  # two tickets, their fees and the order fee
    assert order.state == Order.State.REFUNDED
    assert quota.used == 0
    assert sum(r.amount for r in order.refunds.all()) == order.total


def test_refunding_more_than_was_paid_is_refused(fees, show, cashier, scoped):
    order = _paid_cash(scoped, show, cashier)
    # A goodwill gesture recorded earlier already paid back 50.00.
    Refund.objects.create(
        house=scoped, order=order, amount=Decimal("50.00"), state=Refund.State.MANUAL
    )
    before = _state()

    with pytest.raises(SalesError) as error:
        order_refund(house=scoped, actor=cashier, order=order)

    assert error.value.code == SalesErrorCode.REFUND_TOO_LARGE
    assert str(error.value) == (
        "Refunding 65.00 EUR would pay back more than was paid."
    )
    assert _state() == before


def test_refunded_tickets_cannot_be_refunded_again(fees, show, cashier, scoped):
    order = _paid_cash(scoped, show, cashier)
    ticket = order.tickets.first()
    order_refund(house=scoped, actor=cashier, order=order, tickets=[ticket])
    before = _state()

    with pytest.raises(SalesError) as error:
        order_refund(house=scoped, actor=cashier, order=order, tickets=[ticket])

    assert (
        str(error.value) == "Some of these tickets are not valid tickets of this order."
    )
    assert _state() == before


def test_tickets_of_another_order_are_refused(fees, show, cashier, scoped):
    order = _paid_cash(scoped, show, cashier)
    other = _paid_cash(scoped, show, cashier, quantity=1)
    before = _state()

    with pytest.raises(SalesError):
        order_refund(
            house=scoped, actor=cashier, order=order, tickets=[other.tickets.get()]
        )

    assert _state() == before


def test_a_pending_order_cannot_be_refunded(fees, show, scoped):
    performance, tariff, _quota = show
    order = buy(scoped, performance, tariff)
    before = _state()

    with pytest.raises(SalesError) as error:
        order_refund(house=scoped, actor=None, order=order)

    assert error.value.code == SalesErrorCode.ILLEGAL_TRANSITION
    assert _state() == before


def test_another_house_cannot_refund_our_order(
    fees, show, cashier, scoped, other_house
):
    order = _paid_cash(scoped, show, cashier)
    before = _state()

    with pytest.raises(NotFound):
        order_refund(house=other_house, actor=cashier, order=order)

    assert _state() == before


def test_refund_through_mollie(fees, show, scoped, mollie_server):
    order, payment = _paid_mollie(scoped, show, mollie_server)
    ticket = order.tickets.first()

    refund = order_refund(house=scoped, actor=None, order=order, tickets=[ticket])

    method, path, body = mollie_server.requests[-1]
    assert (method, path) == ("POST", f"/v2/payments/{payment.external_id}/refunds")
    assert body == {
        "amount": {"currency": "EUR", "value": "21.00"},
        "description": order.code,
    }
    remote = mollie_server.refunds[payment.external_id][0]
    assert (refund.state, refund.external_id, refund.amount) == (
        Refund.State.DONE,
        remote["id"],
        Decimal("21.00"),
    )
    order.refresh_from_db()
    ticket.refresh_from_db()
    assert order.state == Order.State.PARTIALLY_REFUNDED
    assert ticket.state == Ticket.State.REFUNDED
    assert (
        mollie_server.payments[payment.external_id]["amountRemaining"]["value"]
        == "44.00"
    )


def test_a_refund_mollie_refuses_changes_nothing_but_is_recorded(
    fees, show, scoped, mollie_server
):
    order, _payment = _paid_mollie(scoped, show, mollie_server)
    mollie_server.fail_next = (
        422,
        {
            "status": 422,
            "title": "Unprocessable Entity",
            "detail": "The payment cannot be refunded",
        },
    )
    tickets_before = sorted(Ticket.objects.values_list("pk", "state"))
    quota_before = sorted(Quota.objects.values_list("pk", "used"))

    with pytest.raises(SalesError) as error:
        order_refund(house=scoped, actor=None, order=order)

    assert error.value.code == SalesErrorCode.PAYMENT_PROVIDER
    order.refresh_from_db()
    assert order.state == Order.State.PAID
    assert sorted(Ticket.objects.values_list("pk", "state")) == tickets_before
    assert sorted(Quota.objects.values_list("pk", "used")) == quota_before
    assert list(order.refunds.values_list("state", "amount")) == [
        (Refund.State.FAILED, Decimal("65.00"))
    ]
    # and a later attempt may go through
    refund = order_refund(house=scoped, actor=None, order=order)
    order.refresh_from_db()
    assert (refund.state, order.state) == (Refund.State.DONE, Order.State.REFUNDED)


# --------------------------------------------------------- performance cancelled


def _two_show_order(house, show, **fields):
    performance, tariff, _quota = show
    other = PerformanceFactory(house=house, production=performance.production)
    QuotaFactory(performance=other, size=10)
    other_tariff = TariffFactory(category=tariff.category, price=Decimal("15.00"))
    basket = basket_create(house=house, channel="box_office")
    for perf, tar in ((performance, tariff), (other, other_tariff)):
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=perf,
            tariff=tar,
            quantity=1,
        )
    return order_place(
        house=house,
        actor=None,
        basket=basket,
        buyer_name="Els Claes",
        buyer_email="els@example.be",
        channel="box_office",
        **fields,
    )


def test_cancelling_a_performance_refunds_cancels_and_mails_everyone(
    fees, show, cashier, scoped, mollie_server, django_capture_on_commit_callbacks
):
    performance, tariff, quota = show
    cash = _paid_cash(scoped, show, cashier, quantity=2, buyer_email="cash@example.be")
    online, _payment = _paid_mollie(
        scoped,
        show,
        mollie_server,
        quantity=1,
        locale="en",
        buyer_email="web@example.be",
    )
    waiting = buy(
        scoped, performance, tariff, locale="fr", buyer_email="wait@example.be"
    )
    mixed = _two_show_order(scoped, show)
    payment_start(house=scoped, actor=cashier, order=mixed, provider="cash")
    mail.outbox.clear()

    job = performance_cancel_start(
        house=scoped, actor=cashier, performance=performance, reason="Artiest ziek"
    )
    performance.refresh_from_db()
    assert performance.status == Performance.Status.CANCELLED
    assert (job.state, job.orders_total, job.orders_done) == ("running", 4, 0)

    with django_capture_on_commit_callbacks(execute=True):
        job = performance_cancel_run(job_id=job.pk)

    assert (job.state, job.orders_total, job.orders_done) == ("done", 4, 4)
    states = {o.code: o.state for o in Order.objects.all()}
    assert states == {
        cash.code: Order.State.REFUNDED,
        online.code: Order.State.REFUNDED,
        waiting.code: Order.State.CANCELLED,
        mixed.code: Order.State.PARTIALLY_REFUNDED,
    }
    refunds = {r.order.code: (r.amount, r.state) for r in Refund.objects.all()}
    assert refunds == {
        cash.code: (Decimal("44.00"), Refund.State.MANUAL),
        online.code: (Decimal("23.00"), Refund.State.DONE),
        mixed.code: (Decimal("21.00"), Refund.State.MANUAL),  # only this show's ticket
    }
    assert mixed.tickets.filter(state="valid").count() == 1
    quota.refresh_from_db()
    assert quota.used == 0
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    title_nl = performance.production.title["nl"]
    title_en = performance.production.title["en"]
    assert [to for to, _subject in sent] == [
        "cash@example.be",
        "els@example.be",
        "wait@example.be",
        "web@example.be",
    ]
    assert sent[3][1].startswith(f"Cancelled: {title_en} on ")
    assert sent[0][1].startswith(f"Cancelled: {title_nl} on ")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "We will pay back 44.00 EUR" in bodies["cash@example.be"]
    assert "We have refunded 23.00 EUR" in bodies["web@example.be"]
    assert "you have not been charged" in bodies["wait@example.be"]


def test_running_the_cancellation_again_changes_nothing(
    fees, show, cashier, scoped, django_capture_on_commit_callbacks
):
    performance, tariff, _quota = show
    _paid_cash(scoped, show, cashier)
    _paid_cash(scoped, show, cashier, quantity=1)
    job = performance_cancel_start(
        house=scoped, actor=cashier, performance=performance, reason="Storm"
    )
    with django_capture_on_commit_callbacks(execute=True):
        performance_cancel_run(job_id=job.pk)
    mail.outbox.clear()
    before = _state()

    with django_capture_on_commit_callbacks(execute=True):
        again = performance_cancel_run(job_id=job.pk)

    assert (again.state, again.orders_total, again.orders_done) == ("done", 2, 2)
    assert mail.outbox == []
    assert _state()[:5] == before[:5]


def test_a_failing_order_is_reported_and_the_rest_goes_on(
    fees, show, cashier, scoped, mollie_server, django_capture_on_commit_callbacks
):
    performance, _tariff, _quota = show
    online, _payment = _paid_mollie(scoped, show, mollie_server, quantity=1)
    cash = _paid_cash(scoped, show, cashier, quantity=1)
    job = performance_cancel_start(
        house=scoped, actor=cashier, performance=performance, reason="Storm"
    )
    mollie_server.fail_next = (503, {"status": 503, "title": "Service Unavailable"})

    with django_capture_on_commit_callbacks(execute=True):
        job = performance_cancel_run(job_id=job.pk)

    online.refresh_from_db()
    cash.refresh_from_db()
    assert (job.state, job.orders_done) == ("failed", 2)
    assert (online.state, cash.state) == (Order.State.PAID, Order.State.REFUNDED)
    assert f"{online.pk}: The payment provider refused the request (503)" in job.message
    assert job.message.startswith("Storm")

    # a second run picks up what failed
    with django_capture_on_commit_callbacks(execute=True):
        job = performance_cancel_run(job_id=job.pk)
    online.refresh_from_db()
    assert (job.state, job.orders_done, online.state) == (
        "done",
        2,
        Order.State.REFUNDED,
    )


def test_another_houses_performance_cannot_be_cancelled_here(
    fees, show, scoped, other_house, cashier
):
    performance, _tariff, _quota = show

    with pytest.raises(NotFound):
        performance_cancel_start(
            house=other_house, actor=cashier, performance=performance, reason="x"
        )

    performance.refresh_from_db()
    assert performance.status == Performance.Status.ON_SALE
    assert PerformanceCancellation.objects.count() == 0
