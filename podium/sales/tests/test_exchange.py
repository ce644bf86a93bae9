"""Exchanging tickets of a paid order for another performance: up, down, equal, refused."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django_scopes import scopes_disabled

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Order, Payment, Quota, Refund, Tariff, Ticket
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.desk import desk_sale
from podium.sales.services.exchange import exchange_quote, exchange_tickets
from podium.sales.services.refunds import order_refund
from podium.sales.services.register import register_day_report
from podium.sales.services.tickets import ticket_verify
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    buy,
    on_sale_performance,
)
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.models import StaffRole

D = Decimal
BRUSSELS = ZoneInfo("Europe/Brussels")
NOON = datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="an")


@pytest.fixture
def shows(house):
    """Two performances of one production: 20.00 now, and a later one where the
    same category's full price is 23.00 (its own price list), 5 places."""
    first, tariff, quota = on_sale_performance(house, size=50)
    later = PerformanceFactory(
        house=house,
        production=first.production,
        starts_at=first.starts_at + timedelta(days=3),
    )
    later_tariff = TariffFactory(
        category=tariff.category, performance=later, price=D("23.00")
    )
    later_quota = QuotaFactory(performance=later, size=5)
    return first, tariff, quota, later, later_tariff, later_quota


def desk_order(house, clerk, performance, tariff, quantity=2, provider="cash"):
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    basket_add(
        house=house,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
    )
    return desk_sale(house=house, actor=clerk, basket=basket, provider=provider).order


def _snapshot():
    return (
        sorted(Order.objects.values_list("code", "state", "total")),
        sorted(Ticket.objects.values_list("pk", "state", "performance_id")),
        sorted(Quota.objects.values_list("pk", "used")),
        Payment.objects.count(),
        Refund.objects.count(),
        AuditEntry.objects.count(),
    )


def test_exchange_up_is_paid_in_cash_and_keeps_the_order_code(scoped, shows, clerk):
    first, tariff, quota, later, later_tariff, later_quota = shows
    order = desk_order(scoped, clerk, first, tariff)
    old = list(order.tickets.order_by("pk"))

    quote = exchange_quote(
        house=scoped, order=order, ticket_ids=[t.pk for t in old], performance=later
    )
    done = exchange_tickets(
        house=scoped,
        actor=clerk,
        order=order,
        ticket_ids=[t.pk for t in old],
        performance=later,
        payment_method="cash",
    )

    assert (quote.old_total, quote.new_total, quote.difference) == (
        D("40.00"),
        D("46.00"),
        D("6.00"),
    )
    order.refresh_from_db()
    quota.refresh_from_db()
    later_quota.refresh_from_db()
    assert (order.code, order.state, order.total) == (
        done.order.code,
        "paid",
        D("46.00"),
    )
    assert set(
        Ticket.objects.filter(pk__in=[t.pk for t in old]).values_list(
            "state", flat=True
        )
    ) == {Ticket.State.EXCHANGED}
    new = list(order.tickets.filter(state=Ticket.State.VALID).order_by("pk"))
    assert [(t.performance_id, t.tariff_id, t.price) for t in new] == [
        (later.pk, later_tariff.pk, D("23.00"))
    ] * 2
    assert {t.secret for t in new}.isdisjoint({t.secret for t in old})
    assert (quota.used, later_quota.used) == (0, 2)
    payment = done.payment
    assert (payment.provider, payment.amount, payment.state) == (
        "cash",
        D("6.00"),
        Payment.State.PAID,
    )
    assert payment.data["exchange"] is True
    entry = AuditEntry.objects.get(action="podium.sales.order.exchanged")
    assert entry.data["tickets"] == {
        str(o.pk): n.pk for o, n in zip(old, new, strict=True)
    }
    assert done.refund is None


def test_exchange_down_refunds_the_difference_in_cash(scoped, shows, clerk):
    first, tariff, _quota, later, later_tariff, _later_quota = shows
    cheap = TariffFactory(
        category=tariff.category,
        performance=later,
        kind=Tariff.Kind.UNDER_26,
        price=D("18.00"),
    )
    order = desk_order(scoped, clerk, first, tariff)
    old = list(order.tickets.order_by("pk"))

    done = exchange_tickets(
        house=scoped,
        actor=clerk,
        order=order,
        ticket_ids=[t.pk for t in old],
        performance=later,
        tariffs={old[0].pk: cheap, old[1].pk: cheap},
        refund_method="cash",
    )

    order.refresh_from_db()
    refund = done.refund
    assert done.difference == D("-4.00")
    assert order.total == D("36.00")
    assert (refund.amount, refund.state, refund.method, refund.created_by) == (
        D("4.00"),
        Refund.State.DONE,
        "cash",
        clerk,
    )
    assert set(refund.tickets.values_list("pk", flat=True)) == {t.pk for t in old}
    assert order.state == Order.State.PAID
    assert done.payment is None
    # The rest can still be refunded in full: 40 paid − 4 back = 36 left.
    rest = order_refund(house=scoped, actor=clerk, order=order)
    assert rest.amount == D("36.00")


def test_equal_price_moves_no_money(scoped, shows, clerk):
    first, tariff, _quota, later, _later_tariff, _later_quota = shows
    same = PerformanceFactory(house=scoped, production=first.production)
    QuotaFactory(performance=same, size=10)
    order = desk_order(scoped, clerk, first, tariff, quantity=1)
    payments, refunds = Payment.objects.count(), Refund.objects.count()

    done = exchange_tickets(
        house=scoped,
        actor=clerk,
        order=order,
        ticket_ids=list(order.tickets.values_list("pk", flat=True)),
        performance=same,
    )

    order.refresh_from_db()
    assert done.difference == D("0.00")
    assert order.total == D("20.00")
    assert (Payment.objects.count(), Refund.objects.count()) == (payments, refunds)
    assert done.new_tickets[0].tariff_id == tariff.pk  # the same tariff by default


def test_an_exchanged_ticket_does_not_admit_nor_print(scoped, shows, clerk):
    first, tariff, _quota, later, _later_tariff, _later_quota = shows
    order = desk_order(scoped, clerk, first, tariff, quantity=1)
    (old,) = order.tickets.all()
    old_code = ticket_payload(old)

    done = exchange_tickets(
        house=scoped, actor=clerk, order=order, ticket_ids=[old.pk], performance=later
    )

    refused = ticket_verify(house=scoped, payload=old_code)
    admitted = ticket_verify(house=scoped, payload=ticket_payload(done.new_tickets[0]))
    assert (refused.valid, refused.reason) == (False, "exchanged")
    assert "exchanged" in refused.message
    assert admitted.valid is True


def _other_house_performance(other_house):
    performance, _tariff, _quota = on_sale_performance(other_house)
    return performance


@pytest.mark.parametrize(
    "case",
    [
        "same_performance",
        "not_on_sale",
        "started",
        "sold_out",
        "not_paid",
        "not_valid",
        "other_house",
        "no_tickets",
    ],
)
def test_refusals_change_nothing(scoped, shows, clerk, other_house, case):
    first, tariff, _quota, later, _later_tariff, later_quota = shows
    order = desk_order(scoped, clerk, first, tariff, quantity=2)
    ticket_ids = list(order.tickets.values_list("pk", flat=True))
    target = later
    if case == "same_performance":
        target = first
    elif case == "not_on_sale":
        Performance.objects.filter(pk=later.pk).update(
            status=Performance.Status.PLANNED
        )
    elif case == "started":
        Performance.objects.filter(pk=later.pk).update(
            starts_at=NOON - timedelta(minutes=5)
        )
    elif case == "sold_out":
        Quota.objects.filter(pk=later_quota.pk).update(used=4)  # 1 left, 2 wanted
    elif case == "not_paid":
        order = buy(scoped, first, tariff, quantity=1)
        ticket_ids = list(order.tickets.values_list("pk", flat=True))
    elif case == "not_valid":
        order_refund(
            house=scoped, actor=clerk, order=order, tickets=[order.tickets.first()]
        )
    elif case == "other_house":
        with scopes_disabled():
            target = _other_house_performance(other_house)
    elif case == "no_tickets":
        ticket_ids = []
    later.refresh_from_db()
    before = _snapshot()

    with pytest.raises((SalesError, NotFound)) as refused:
        exchange_tickets(
            house=scoped,
            actor=clerk,
            order=order,
            ticket_ids=ticket_ids,
            performance=target,
        )

    assert str(refused.value)
    assert _snapshot() == before
    if case == "sold_out":
        assert refused.value.code == SalesErrorCode.SOLD_OUT
    if case == "not_paid":
        assert refused.value.code == SalesErrorCode.ORDER_NOT_PAID


def test_another_production_gets_the_tariff_of_the_same_kind(scoped, shows, clerk):
    first, tariff, _quota, _later, _later_tariff, _later_quota = shows
    other, other_tariff, _other_quota = on_sale_performance(scoped, price=D("25.00"))
    order = desk_order(scoped, clerk, first, tariff, quantity=1)
    ticket_ids = list(order.tickets.values_list("pk", flat=True))

    quote = exchange_quote(
        house=scoped, order=order, ticket_ids=ticket_ids, performance=other
    )
    done = exchange_tickets(
        house=scoped,
        actor=clerk,
        order=order,
        ticket_ids=ticket_ids,
        performance=other,
    )

    assert (quote.complete, quote.difference) == (True, D("5.00"))
    assert done.new_tickets[0].tariff_id == other_tariff.pk


def test_a_category_without_a_matching_tariff_needs_a_choice(scoped, shows, clerk):
    first, tariff, _quota, _later, _later_tariff, _later_quota = shows
    other, _other_tariff, _other_quota = on_sale_performance(scoped)
    senior = TariffFactory(
        category=PriceCategoryFactory(house=scoped, production=first.production),
        kind=Tariff.Kind.SENIOR,
        price=D("15.00"),
    )
    order = desk_order(scoped, clerk, first, senior, quantity=1)
    ticket_ids = list(order.tickets.values_list("pk", flat=True))

    quote = exchange_quote(
        house=scoped, order=order, ticket_ids=ticket_ids, performance=other
    )
    with pytest.raises(SalesError) as refused:
        exchange_tickets(
            house=scoped,
            actor=clerk,
            order=order,
            ticket_ids=ticket_ids,
            performance=other,
        )

    assert quote.complete is False
    assert str(refused.value) == "Choose a tariff for every ticket."


def test_the_register_shows_the_extra_payment_and_the_refund(
    scoped, shows, clerk, house
):
    first, tariff, _quota, later, later_tariff, _later_quota = shows
    cheap = TariffFactory(
        category=tariff.category,
        performance=later,
        kind=Tariff.Kind.UNDER_26,
        price=D("18.00"),
    )
    with time_machine.travel(NOON - timedelta(days=1), tick=True):
        up = desk_order(scoped, clerk, first, tariff, quantity=2, provider="cash")
        down = desk_order(
            scoped, clerk, first, tariff, quantity=1, provider="card_terminal"
        )
    exchange_tickets(
        house=scoped,
        actor=clerk,
        order=up,
        ticket_ids=list(up.tickets.values_list("pk", flat=True)),
        performance=later,
        payment_method="card_terminal",
    )
    exchange_tickets(
        house=scoped,
        actor=clerk,
        order=down,
        ticket_ids=list(down.tickets.values_list("pk", flat=True)),
        performance=later,
        tariffs={down.tickets.get().pk: cheap},
        refund_method="cash",
    )

    yesterday = register_day_report(house=house, day=date(2026, 3, 27))
    today = register_day_report(house=house, day=date(2026, 3, 28))
    mine = register_day_report(house=house, day=date(2026, 3, 28), user=clerk)

    lines = {
        m.method: (m.orders, m.tickets, m.sales, m.refunds) for m in yesterday.methods
    }
    assert lines["cash"] == (1, 2, D("40.00"), D("0.00"))
    assert lines["card_terminal"] == (1, 1, D("20.00"), D("0.00"))
    assert sum(line.gross for line in yesterday.vat) == D("60.00")
    lines = {m.method: (m.orders, m.tickets, m.sales, m.refunds) for m in today.methods}
    assert lines["card_terminal"] == (0, 0, D("6.00"), D("0.00"))
    assert lines["cash"] == (0, 0, D("0.00"), D("2.00"))
    assert (today.sales, today.refunds, today.expected_cash) == (
        D("6.00"),
        D("2.00"),
        D("-2.00"),
    )
    assert sum(line.gross for line in today.vat) == D("6.00")
    assert (mine.sales, mine.refunds) == (D("6.00"), D("2.00"))


def test_another_house_cannot_exchange_this_order(scoped, shows, clerk, other_house):
    first, tariff, _quota, later, _later_tariff, _later_quota = shows
    order = desk_order(scoped, clerk, first, tariff, quantity=1)
    before = _snapshot()

    with pytest.raises(NotFound):
        exchange_tickets(
            house=other_house,
            actor=None,
            order=order,
            ticket_ids=list(order.tickets.values_list("pk", flat=True)),
            performance=later,
        )

    assert _snapshot() == before
