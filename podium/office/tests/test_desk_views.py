"""The box office: find a performance, sell in one form, print the tickets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.sales.models import Basket, Order, Quota, Tariff
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_add
from podium.sales.services.reservations import reservation_create
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


def test_a_promo_code_lowers_the_desk_sale_and_a_bad_one_sells_nothing(
    client, house, world, sales, ticketing
):
    with house_scope(house):
        promo_code_create(
            house=house, actor=None, code="ZOMER10", kind="percent", value=10
        )
    url = reverse("office:desk-sale", args=[sales.performance.pk])
    before = len(_orders(house))
    with house_scope(house):
        used = sum(q.used for q in Quota.objects.all())

    refused = client.post(
        url, {f"tariff_{sales.tariff.pk}": "2", "provider": "cash", "promo_code": "X1X"}
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["promo_code"]
    assert len(_orders(house)) == before
    with house_scope(house):
        assert sum(q.used for q in Quota.objects.all()) == used  # nothing kept

    client.post(
        url,
        {f"tariff_{sales.tariff.pk}": "2", "provider": "cash", "promo_code": "zomer10"},
    )
    order = _orders(house)[-1]
    assert (order.state, order.total) == ("paid", Decimal("36.00"))
    assert order.promo_code.code == "ZOMER10"


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


def test_a_phone_reservation_is_kept_then_sold_at_the_desk(
    client, house, world, sales, ticketing
):
    until = timezone.localtime(timezone.now() + timedelta(days=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    before = len(_orders(house))

    response = client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {
            f"tariff_{sales.tariff.pk}": "2",
            "provider": "cash",
            "action": "reserve",
            "reserved_for": "Mevrouw Janssens",
            "contact": "0470 12 34 56",
            "reserve_until": until,
        },
    )

    assert response.url == reverse("office:desk-reservations")
    page = client.get(response.url).content.decode()
    assert "Mevrouw Janssens" in page and "0470 12 34 56" in page
    with house_scope(house):
        basket = Basket.objects.get(reserved_for="Mevrouw Janssens")
    sold = client.post(
        reverse("office:desk-reservation-sell", args=[basket.pk]),
        {"provider": "cash", "cash_received": "50"},
    )
    orders = _orders(house)
    assert len(orders) == before + 1
    assert sold.url.startswith(reverse("office:desk-receipt", args=[orders[-1].code]))
    assert (orders[-1].buyer_name, orders[-1].total) == (
        "Mevrouw Janssens",
        Decimal("40.00"),
    )
    assert "Mevrouw Janssens" not in client.get(response.url).content.decode()


def test_a_reservation_needs_a_name_and_a_deadline(
    client, house, world, sales, ticketing
):
    response = client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {f"tariff_{sales.tariff.pk}": "1", "provider": "cash", "action": "reserve"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Voor wie worden de plaatsen gereserveerd?" in page
    with house_scope(house):
        assert not Basket.objects.exclude(reserved_for="").exists()


def test_releasing_a_reservation_frees_its_places(
    client, house, world, sales, ticketing
):
    with house_scope(house):
        basket = reservation_create(
            house=house,
            actor=None,
            performance=sales.performance,
            reserved_for="Jan",
            contact="",
            until=timezone.now() + timedelta(days=1),
        )
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=sales.performance,
            tariff=sales.tariff,
            quantity=3,
        )
        used = Quota.objects.get(pk=sales.quota.pk).used

    client.post(reverse("office:desk-reservation-release", args=[basket.pk]))

    with house_scope(house):
        assert Quota.objects.get(pk=sales.quota.pk).used == used - 3


def test_a_failed_sale_keeps_no_places(client, house, world, sales, ticketing):
    with house_scope(house):
        used = Quota.objects.get(pk=sales.quota.pk).used

    client.post(
        reverse("office:desk-sale", args=[sales.performance.pk]),
        {f"tariff_{sales.tariff.pk}": "2", "provider": "cash", "cash_received": "1"},
    )

    with house_scope(house):
        assert Quota.objects.get(pk=sales.quota.pk).used == used
