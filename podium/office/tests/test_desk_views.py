"""The box office: find a performance, sell in one form, print the tickets."""

from decimal import Decimal

import pytest
from django.urls import reverse

from podium.sales.models import Order, Tariff
from podium.sales.tests.factories import PriceCategoryFactory, TariffFactory
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.test_seat_sales import small_plan
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

Role = StaffRole.Role


@pytest.fixture
def ticketing(client, house, staff_factory):
    client.force_login(staff_factory(house, Role.TICKETING))


def _orders(house):
    with house_scope(house):
        return list(Order.objects.order_by("pk"))


def test_search_finds_the_performance_by_title(client, world, sales, ticketing):
    title = sales.performance.production.title["nl"]

    page = client.get(reverse("office:desk"), {"q": title[:4].lower()})

    assert reverse("office:desk-sale", args=[sales.performance.pk]) in (
        page.content.decode()
    )


def test_two_full_price_tickets_for_cash(client, house, world, sales, ticketing):
    before = len(_orders(house))

    response = client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {
            f"tariff_{sales.tariff.pk}": "2",
            "provider": "cash",
            "cash_received": "50",
        },
    )

    orders = _orders(house)
    assert len(orders) == before + 1
    order = orders[-1]
    assert (order.state, order.channel, order.total) == (
        "paid",
        "box_office",
        Decimal("40.00"),
    )
    assert response.url == (
        reverse("office:desk-receipt", args=[order.code]) + "?change=10.00"
    )
    receipt = client.get(response.url).content.decode()
    assert "€ 10,00" in receipt
    assert reverse("office:order-tickets-pdf", args=[order.code]) in receipt


def test_box_office_only_tariffs_are_sold_at_the_desk(
    client, house, world, sales, ticketing
):
    with house_scope(house):
        invitation = TariffFactory(
            category=sales.category,
            price=Decimal("0.00"),
            kind=Tariff.Kind.INVITATION,
            box_office_only=True,
        )

    response = client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {f"tariff_{invitation.pk}": "2", "provider": "cash"},
    )

    order = _orders(house)[-1]
    assert response.status_code == 302
    with house_scope(house):
        assert (order.total, order.payments.get().provider) == (
            Decimal("0.00"),
            "free",
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies minstens één ticket."),
        ({"cash_received": "5"}, "is minder dan"),
        ({"buyer_email": "nope"}, "geldig e-mailadres"),
    ],
)
def test_bad_input_sells_nothing(client, house, world, sales, ticketing, data, message):
    before = len(_orders(house))
    body = {f"tariff_{sales.tariff.pk}": "1", "provider": "cash", **data}
    if not data:
        body.pop(f"tariff_{sales.tariff.pk}")

    response = client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]), body
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(_orders(house)) == before


def test_picked_seats_are_sold_at_the_desk(client, house, world, sales, ticketing):
    with house_scope(house):
        second = PriceCategoryFactory(
            house=house, production=sales.performance.production
        )
        TariffFactory(category=second, price=Decimal("15.00"))
        performance_seating_setup(
            house=house,
            actor=None,
            performance=sales.performance,
            plan=small_plan(sales.performance.hall),
            zones={1: sales.category, 2: second},
        )
        seats = {
            f"{s.seat.row}{s.seat.number}": s.pk
            for s in PerformanceSeat.objects.filter(
                performance=sales.performance
            ).select_related("seat")
        }

    page = client.get(reverse("office:desk-sale", args=[sales.performance.pk]))
    assert page.content.decode().count('role="checkbox"') == 18
    client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {
            "seat": [seats["A2"], seats["B2"]],
            "kind": "full",
            "provider": "card_terminal",
        },
    )

    order = _orders(house)[-1]
    with house_scope(house):
        assert sorted(order.tickets.values_list("seat_label", "price")) == [
            ("Zaal, rij A, stoel 2", Decimal("20.00")),
            ("Zaal, rij B, stoel 2", Decimal("15.00")),
        ]


def test_ticket_pdfs_of_a_paid_order_only(client, world, sales, ticketing):
    url = reverse("office:order-tickets-pdf", args=[sales.paid.code])

    a4 = client.get(url)
    receipt = client.get(url, {"layout": "receipt"})
    unpaid = client.get(reverse("office:order-tickets-pdf", args=[sales.pending.code]))

    assert a4["Content-Type"] == receipt["Content-Type"] == "application/pdf"
    assert a4.content.startswith(b"%PDF") and receipt.content.startswith(b"%PDF")
    assert a4.content != receipt.content
    assert unpaid.status_code == 404
