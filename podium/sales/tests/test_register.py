"""The cash register: a day's box-office takings per method and VAT rate, and closing."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from podium.core.models import AuditEntry
from podium.sales.errors import SalesError
from podium.sales.models import (
    Order,
    RegisterClosing,
    SalesSettings,
    Tariff,
    Ticket,
)
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.desk import desk_sale
from podium.sales.services.orders import order_mark_paid
from podium.sales.services.pricing import sales_settings_get
from podium.sales.services.refunds import order_refund
from podium.sales.services.register import (
    register_close,
    register_closing_list,
    register_day_report,
)
from podium.sales.tests.factories import TariffFactory, buy, on_sale_performance
from podium.tenancy.models import StaffRole

BRUSSELS = ZoneInfo("Europe/Brussels")
DAY = date(2026, 3, 28)
NOON = datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)
IBAN = "BE68539007547034"
D = Decimal


@pytest.fixture(autouse=True)
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield


def _desk_setup(house):
    SalesSettings.objects.filter(pk=sales_settings_get(house=house).pk).update(
        fee_per_ticket=D("1.00"), fee_vat_rate="21.00", bank_account_iban=IBAN
    )
    performance, tariff, _quota = on_sale_performance(house, size=100)
    invitation = TariffFactory(
        category=tariff.category,
        price=D("0.00"),
        kind=Tariff.Kind.INVITATION,
        box_office_only=True,
    )
    return performance, tariff, invitation


def sell(house, clerk, performance, tariff, quantity, provider) -> Order:
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


@dataclass
class Day:
    clerk: object
    colleague: object
    cash: Order
    card: Order
    invoice: Order
    free: Order


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="an")


@pytest.fixture
def colleague(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING, username="bert")


@pytest.fixture
def day(house, other_house, clerk, colleague, staff_factory):
    """On DAY: An sells cash (2), card (1), invoice (3), free (2 invitations) and
    refunds one cash ticket; Bert sells one for cash. Outside it: An's cash sale the
    day before, a web order, and house B's cash sale."""
    performance, tariff, invitation = _desk_setup(house)
    with time_machine.travel(NOON - timedelta(days=1), tick=False):
        sell(house, clerk, performance, tariff, 5, "cash")
    cash = sell(house, clerk, performance, tariff, 2, "cash")
    card = sell(house, clerk, performance, tariff, 1, "card_terminal")
    invoice = sell(house, clerk, performance, tariff, 3, "bank_transfer")
    free = sell(house, clerk, performance, invitation, 2, "free")
    order_refund(
        house=house,
        actor=clerk,
        order=cash,
        tickets=[Ticket.objects.filter(order=cash).first()],
    )
    sell(house, colleague, performance, tariff, 1, "cash")
    order_mark_paid(order=buy(house, performance, tariff, quantity=4))
    b_performance, b_tariff, _b_invitation = _desk_setup(other_house)
    b_clerk = staff_factory(other_house, StaffRole.Role.TICKETING)
    sell(other_house, b_clerk, b_performance, b_tariff, 7, "cash")
    return Day(clerk, colleague, cash, card, invoice, free)


def _methods(report):
    return {
        line.method: (line.orders, line.tickets, line.sales, line.refunds)
        for line in report.methods
    }


def _vat(report):
    return {line.rate: (line.net, line.vat, line.gross) for line in report.vat}


def test_the_house_day_per_method_and_vat_rate(scoped, day):
    report = register_day_report(house=scoped, day=DAY)

    assert _methods(report) == {
        "cash": (2, 3, D("63.00"), D("21.00")),
        "card_terminal": (1, 1, D("21.00"), D("0.00")),
        "bank_transfer": (1, 3, D("63.00"), D("0.00")),
        "free": (1, 2, D("0.00"), D("0.00")),
    }
    # 7 paid tickets of 20.00 at 6 % (18.87 + 1.13 each) and 2 invitations;
    # fees of 1.00 per paid ticket at 21 %, one fee row per order.
    assert _vat(report) == {
        D("6.00"): (D("132.09"), D("7.91"), D("140.00")),
        D("21.00"): (D("5.79"), D("1.21"), D("7.00")),
    }
    assert (report.sales, report.refunds, report.balance) == (
        D("147.00"),
        D("21.00"),
        D("126.00"),
    )
    assert (report.net, report.vat_total, report.tickets) == (D("137.88"), D("9.12"), 9)
    assert report.expected_cash == D("42.00")


def test_the_totals_add_up(scoped, day):
    report = register_day_report(house=scoped, day=DAY)

    assert sum(line.gross for line in report.vat) == report.sales
    assert report.net + report.vat_total == report.sales
    for line in report.vat:
        assert line.net + line.vat == line.gross
    assert sum(line.balance for line in report.methods) == report.balance


def test_one_staff_members_day(scoped, day):
    report = register_day_report(house=scoped, day=DAY, user=day.clerk)

    assert _methods(report) == {
        "cash": (1, 2, D("42.00"), D("21.00")),
        "card_terminal": (1, 1, D("21.00"), D("0.00")),
        "bank_transfer": (1, 3, D("63.00"), D("0.00")),
        "free": (1, 2, D("0.00"), D("0.00")),
    }
    assert _vat(report) == {
        D("6.00"): (D("113.22"), D("6.78"), D("120.00")),
        D("21.00"): (D("4.96"), D("1.04"), D("6.00")),
    }
    assert report.expected_cash == D("21.00")
    colleague = register_day_report(house=scoped, day=DAY, user=day.colleague)
    assert (colleague.sales, colleague.expected_cash) == (D("21.00"), D("21.00"))


def test_the_day_before_holds_only_its_own_sale(scoped, day):
    report = register_day_report(house=scoped, day=DAY - timedelta(days=1))

    assert _methods(report)["cash"] == (1, 5, D("105.00"), D("0.00"))
    assert report.sales == D("105.00")


def test_another_house_sees_only_its_own_sales(day, other_house):
    from podium.tenancy.scoping import house_scope

    with house_scope(other_house):
        report = register_day_report(house=other_house, day=DAY)

    assert _methods(report)["cash"] == (1, 7, D("147.00"), D("0.00"))
    assert report.sales == D("147.00")


def test_a_day_without_sales_is_all_zero(scoped):
    report = register_day_report(house=scoped, day=DAY)

    assert [line.sales for line in report.methods] == [D("0.00")] * 4
    assert (report.vat, report.balance, report.expected_cash) == (
        [],
        D("0.00"),
        D("0.00"),
    )


def test_the_day_follows_the_house_time_zone_across_the_dst_switch(
    house, staff_factory, scoped
):
    # 29 March 2026 has 23 hours in Brussels: 22:30 UTC that night is already the 30th.
    clerk = staff_factory(house, StaffRole.Role.TICKETING)
    performance, tariff, _invitation = _desk_setup(house)
    late = datetime(2026, 3, 29, 23, 30, tzinfo=BRUSSELS)
    with time_machine.travel(late, tick=False):
        sell(house, clerk, performance, tariff, 1, "cash")
    with time_machine.travel(late + timedelta(hours=1), tick=False):
        sell(house, clerk, performance, tariff, 2, "cash")

    sunday = register_day_report(house=scoped, day=date(2026, 3, 29))
    monday = register_day_report(house=scoped, day=date(2026, 3, 30))

    assert (sunday.sales, monday.sales) == (D("21.00"), D("42.00"))


# ------------------------------------------------------------------------ closing


def test_closing_without_a_difference(scoped, day):
    closing = register_close(
        house=scoped, actor=day.clerk, day=DAY, counted_cash=D("21.00")
    )

    stored = RegisterClosing.objects.get()
    assert (
        stored.pk,
        stored.user,
        stored.day,
        stored.counted_cash,
        stored.expected_cash,
        stored.difference,
        stored.note,
    ) == (closing.pk, day.clerk, DAY, D("21.00"), D("21.00"), D("0.00"), "")
    entry = AuditEntry.objects.get(action="podium.sales.register_closing.created")
    assert (entry.actor, entry.object_id, entry.data["difference"]) == (
        day.clerk,
        str(closing.pk),
        "0.00",
    )


def test_a_difference_is_recorded_with_its_note(scoped, day):
    closing = register_close(
        house=scoped,
        actor=day.clerk,
        day=DAY,
        counted_cash=D("16.50"),
        note="  Wisselgeld fout gegeven  ",
    )

    closing.refresh_from_db()
    assert (closing.expected_cash, closing.difference, closing.note) == (
        D("21.00"),
        D("-4.50"),
        "Wisselgeld fout gegeven",
    )


@pytest.mark.parametrize("note", ["", "   "])
def test_a_difference_needs_a_note(scoped, day, note):
    with pytest.raises(SalesError, match="Explain the difference of 1.00 EUR") as info:
        register_close(
            house=scoped, actor=day.clerk, day=DAY, counted_cash=D("22"), note=note
        )

    assert info.value.field == "note"
    assert not RegisterClosing.objects.exists()
    assert not AuditEntry.objects.filter(
        action="podium.sales.register_closing.created"
    ).exists()


def test_a_second_closing_of_the_same_day_is_refused(scoped, day):
    register_close(house=scoped, actor=day.clerk, day=DAY, counted_cash=D("21.00"))

    with pytest.raises(
        SalesError, match="You already closed the register for 2026-03-28"
    ):
        register_close(
            house=scoped, actor=day.clerk, day=DAY, counted_cash=D("30"), note="x"
        )

    assert list(RegisterClosing.objects.values_list("counted_cash", flat=True)) == [
        D("21.00")
    ]


def test_each_person_and_day_closes_once(scoped, day):
    register_close(house=scoped, actor=day.clerk, day=DAY, counted_cash=D("21.00"))
    register_close(house=scoped, actor=day.colleague, day=DAY, counted_cash=D("21"))
    register_close(
        house=scoped,
        actor=day.clerk,
        day=DAY - timedelta(days=1),
        counted_cash=D("105.00"),
    )

    assert [
        (c.user.username, c.difference)
        for c in register_closing_list(house=scoped, day=DAY)
    ] == [("an", D("0.00")), ("bert", D("0.00"))]


@pytest.mark.parametrize(
    ("actor", "day_offset", "counted", "message"),
    [
        (None, 0, "0", "Only a staff member"),
        ("clerk", 1, "0", "has not begun"),
        ("clerk", 0, "-1", "cannot be negative"),
    ],
)
def test_refused_closings_store_nothing(
    scoped, clerk, actor, day_offset, counted, message
):
    with pytest.raises(SalesError, match=message):
        register_close(
            house=scoped,
            actor=clerk if actor else None,
            day=DAY + timedelta(days=day_offset),
            counted_cash=D(counted),
            note="n",
        )

    assert not RegisterClosing.objects.exists()


def test_another_house_closes_its_own_register(day, other_house, house):
    from podium.tenancy.scoping import house_scope

    with house_scope(other_house):
        b_clerk = Order.objects.get(house=other_house).created_by
        closing = register_close(
            house=other_house, actor=b_clerk, day=DAY, counted_cash=D("147.00")
        )
        assert register_closing_list(house=other_house, day=DAY) == [closing]
        # House A's clerk's sales are not counted in house B.
        a_closing = register_close(
            house=other_house, actor=day.clerk, day=DAY, counted_cash=D("0")
        )
    assert (closing.expected_cash, a_closing.expected_cash) == (D("147.00"), D("0.00"))
    with house_scope(house):
        assert register_closing_list(house=house, day=DAY) == []
