"""Buying in the shop: tickets or seats on the performance page, then the checkout.

Requests speak Dutch (LocaleMiddleware); texts are compared through `gettext` under
`translation.override("nl")`, so a message reads as the visitor sees it.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Basket, Hold, Order, Payment, Quota, Tariff
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    SalesSettingsFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.seating.models import PerformanceSeat
from podium.seating.selectors import performance_seating
from podium.seating.services import performance_seating_setup, seats_block
from podium.seating.tests.test_seat_sales import small_plan
from podium.shop.session import SESSION_BASKETS
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

pytestmark = pytest.mark.django_db

BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


def nl(message: str, **params) -> str:
    """`message` as a Dutch visitor reads it in the HTML."""
    with translation.override("nl"):
        text = gettext(message)
    return escape(text % params if params else text)


def page_url(performance) -> str:
    return reverse("shop:performance", args=[performance.pk])


def checkout_url(house) -> str:
    return reverse("shop:checkout", args=[house.slug])


def return_url(order) -> str:
    return "http://testserver" + reverse("shop:payment-return", args=[order.code])


def basket_of(client, house) -> Basket:
    token = client.session[SESSION_BASKETS][str(house.pk)]
    return Basket.objects.get(house=house, token=token)


def held(performance) -> list[Hold]:
    return list(
        Hold.objects.filter(performance=performance, state=Hold.State.HELD).order_by(
            "pk"
        )
    )


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def ga(house):
    """General admission: 4 places at 20 EUR, plus a second date of the production."""
    performance, tariff, quota = on_sale_performance(house, size=4)
    other_date = PerformanceFactory(
        house=house, production=performance.production, hall=performance.hall
    )
    QuotaFactory(performance=other_date, size=100)
    return performance, tariff, quota, other_date


@pytest.fixture
def seated(house):
    """Sold by seat on rows A (rank 1, 20 EUR) and B–C (rank 2, 10 EUR) of 6 seats."""
    performance, tariff, _quota = on_sale_performance(house, size=100)
    second = PriceCategoryFactory(
        house=house,
        production=performance.production,
        name={"nl": "Rang 2", "fr": "Rang 2", "en": "Rank 2"},
    )
    cheap = TariffFactory(category=second, price=Decimal("10.00"))
    performance_seating_setup(
        house=house,
        actor=None,
        performance=performance,
        plan=small_plan(performance.hall),
        zones={1: tariff.category, 2: second},
    )
    return performance, tariff, cheap


def seat_ids(performance, *labels) -> list[int]:
    by_label = {
        f"{seat.seat.row}{seat.seat.number}": seat.pk
        for seat in PerformanceSeat.objects.filter(
            performance=performance
        ).select_related("seat")
    }
    return [by_label[label] for label in labels]


def seat_states(performance, *labels) -> list[str]:
    ids = seat_ids(performance, *labels)
    found = dict(PerformanceSeat.objects.filter(pk__in=ids).values_list("pk", "state"))
    return [found[pk] for pk in ids]


@pytest.fixture
def mollie_house(house, mollie_server):
    SalesSettingsFactory(house=house, mollie_api_key=API_KEY)
    return house


# ------------------------------------------------------- general admission


def test_the_page_offers_the_web_tariffs_but_not_the_box_office_one(client, ga):
    performance, tariff, _quota, _other = ga
    box_office = TariffFactory(
        category=tariff.category,
        kind=Tariff.Kind.SENIOR,
        name={"nl": "Kassatarief", "en": "Box office"},
        box_office_only=True,
    )

    response = client.get(page_url(performance))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="tariff_{tariff.pk}"' in html
    assert "Volle prijs · € 20,00" in html
    assert f'name="tariff_{box_office.pk}"' not in html
    assert "Kassatarief" not in html


def test_counts_are_held_and_lead_to_the_checkout(client, house, ga, scoped):
    performance, tariff, quota, _other = ga
    reduced = TariffFactory(
        category=tariff.category, kind=Tariff.Kind.UNDER_26, price=Decimal("12.00")
    )

    response = client.post(
        page_url(performance),
        {"action": "tickets", f"tariff_{tariff.pk}": "2", f"tariff_{reduced.pk}": "1"},
    )

    assert response.status_code == 302
    assert response.url == checkout_url(house)
    holds = held(performance)
    assert [(h.tariff_id, h.quantity) for h in holds] == [
        (tariff.pk, 2),
        (reduced.pk, 1),
    ]
    assert {h.basket_id for h in holds} == {basket_of(client, house).pk}
    assert Quota.objects.get(pk=quota.pk).used == 3


def test_adding_again_uses_the_same_basket(client, house, ga, scoped):
    performance, tariff, _quota, _other = ga

    for _round in range(2):
        client.post(
            page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
        )

    assert Basket.objects.filter(house=house).count() == 1
    assert len(held(performance)) == 2


def test_zero_tickets_is_a_form_error_and_holds_nothing(client, ga, scoped):
    performance, tariff, quota, _other = ga

    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "0"}
    )

    assert response.status_code == 200
    assert nl("Choose at least one ticket.") in response.content.decode()
    assert held(performance) == []
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_a_box_office_tariff_cannot_be_posted_from_the_web(client, ga, scoped):
    performance, tariff, quota, _other = ga
    box_office = TariffFactory(
        category=tariff.category, kind=Tariff.Kind.SENIOR, box_office_only=True
    )

    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{box_office.pk}": "2"}
    )

    assert response.status_code == 200
    assert nl("Choose at least one ticket.") in response.content.decode()
    assert held(performance) == []
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_more_than_available_says_sold_out_holds_nothing_and_shows_other_dates(
    client, house, ga, scoped
):
    performance, tariff, quota, other_date = ga
    reduced = TariffFactory(
        category=tariff.category, kind=Tariff.Kind.UNDER_26, price=Decimal("12.00")
    )
    hidden_date = PerformanceFactory(
        house=house,
        production=performance.production,
        hall=performance.hall,
        visibility=Performance.Visibility.HIDDEN,
    )

    # 3 + 2 > 4: the first tariff fits, the second does not; neither is held.
    response = client.post(
        page_url(performance),
        {"action": "tickets", f"tariff_{tariff.pk}": "3", f"tariff_{reduced.pk}": "2"},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert nl("Sold out: not enough places are left.") in html
    assert held(performance) == []
    assert Quota.objects.get(pk=quota.pk).used == 0
    assert nl("Other dates") in html
    assert f'href="{page_url(other_date)}"' in html
    assert f'href="{page_url(hidden_date)}"' not in html


def test_a_sold_out_performance_lists_other_dates_without_a_form(client, ga, scoped):
    performance, tariff, quota, other_date = ga
    Quota.objects.filter(pk=quota.pk).update(used=4)
    Performance.objects.filter(pk=performance.pk).update(
        status=Performance.Status.SOLD_OUT
    )

    html = client.get(page_url(performance)).content.decode()

    assert f'name="tariff_{tariff.pk}"' not in html
    assert f'href="{page_url(other_date)}"' in html


# ------------------------------------------------------------------ seated


def test_a_seated_page_shows_the_plan_and_both_ways_to_choose(client, seated):
    performance, tariff, cheap = seated

    response = client.get(page_url(performance))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="seat-plan"' in html
    assert 'name="action" value="best"' in html
    assert 'name="action" value="seats"' in html
    assert (
        f'data-state-url="{reverse("shop:performance-seats", args=[performance.pk])}"'
        in html
    )
    assert f'name="tariff_{tariff.pk}"' not in html  # no counts for general admission


def test_best_available_holds_adjacent_seats(client, house, seated, scoped):
    performance, tariff, _cheap = seated

    response = client.post(
        page_url(performance), {"action": "best", "count": "3", "tariff": tariff.pk}
    )

    assert response.status_code == 302
    assert response.url == checkout_url(house)
    [hold] = held(performance)
    assert (hold.tariff_id, hold.quantity, len(hold.seat_ids)) == (tariff.pk, 3, 3)
    seats = sorted(
        PerformanceSeat.objects.filter(pk__in=hold.seat_ids).select_related("seat"),
        key=lambda s: s.seat.order,
    )
    assert {s.seat.row for s in seats} == {"A"}  # rank 1 is row A
    orders = [s.seat.order for s in seats]
    assert orders == list(range(orders[0], orders[0] + 3))
    assert {s.state for s in seats} == {PerformanceSeat.State.HELD}


def test_best_available_beyond_the_rank_says_so_and_holds_nothing(
    client, seated, scoped
):
    performance, tariff, _cheap = seated

    # Rank 1 is row A: six seats.
    response = client.post(
        page_url(performance), {"action": "best", "count": "7", "tariff": tariff.pk}
    )

    assert response.status_code == 409
    assert nl("Not enough seats are left at this price.") in response.content.decode()
    assert held(performance) == []
    assert (
        PerformanceSeat.objects.filter(
            performance=performance, state=PerformanceSeat.State.HELD
        ).count()
        == 0
    )


def test_best_available_spread_over_places_tells_the_visitor(
    client, house, seated, scoped
):
    performance, tariff, _cheap = seated
    basket_add(  # A3 taken: row A has no four seats side by side any more
        house=house,
        actor=None,
        basket=basket_create(house=house),
        performance=performance,
        tariff=tariff,
        seats=seat_ids(performance, "A3"),
    )

    response = client.post(
        page_url(performance),
        {"action": "best", "count": "4", "tariff": tariff.pk},
        follow=True,
    )

    assert response.redirect_chain == [(checkout_url(house), 302)]
    assert (
        nl(
            "There were not that many seats side by side: your seats are spread over "
            "more than one place. Pick them yourself on the plan if you prefer."
        )
        in response.content.decode()
    )
    [hold] = Hold.objects.filter(basket=basket_of(client, house))
    assert hold.quantity == 4


def test_picked_seats_in_two_ranks_are_held_at_each_ranks_tariff(
    client, house, seated, scoped
):
    performance, tariff, cheap = seated
    a3, a4, b1 = seat_ids(performance, "A3", "A4", "B1")

    response = client.post(
        page_url(performance),
        {"action": "seats", "seat": [a3, a4, b1], "kind": Tariff.Kind.FULL},
    )

    assert response.status_code == 302
    assert response.url == checkout_url(house)
    holds = held(performance)
    assert [(h.tariff_id, sorted(h.seat_ids)) for h in holds] == [
        (tariff.pk, sorted([a3, a4])),
        (cheap.pk, [b1]),
    ]
    assert seat_states(performance, "A3", "A4", "B1") == ["held"] * 3


def test_picked_seats_take_the_chosen_kind(client, house, seated, scoped):
    performance, tariff, cheap = seated
    young_1 = TariffFactory(
        category=tariff.category, kind=Tariff.Kind.UNDER_26, price=Decimal("15.00")
    )
    young_2 = TariffFactory(
        category=cheap.category, kind=Tariff.Kind.UNDER_26, price=Decimal("8.00")
    )
    a1, c6 = seat_ids(performance, "A1", "C6")

    response = client.post(
        page_url(performance),
        {"action": "seats", "seat": [a1, c6], "kind": Tariff.Kind.UNDER_26},
    )

    assert response.status_code == 302
    assert [(h.tariff_id, h.seat_ids) for h in held(performance)] == [
        (young_1.pk, [a1]),
        (young_2.pk, [c6]),
    ]


def test_a_kind_not_sold_in_every_rank_is_not_offered_for_picked_seats(
    client, seated, scoped
):
    performance, tariff, _cheap = seated
    TariffFactory(
        category=tariff.category,
        kind=Tariff.Kind.STUDENT,
        name={"nl": "Studententarief", "en": "Student"},
    )

    html = client.get(page_url(performance)).content.decode()
    response = client.post(
        page_url(performance),
        {
            "action": "seats",
            "seat": seat_ids(performance, "A1"),
            "kind": Tariff.Kind.STUDENT,
        },
    )

    assert f'<option value="{Tariff.Kind.STUDENT}"' not in html
    assert f'<option value="{Tariff.Kind.FULL}"' in html
    assert response.status_code == 200
    assert held(performance) == []


def test_a_seat_taken_meanwhile_holds_none_of_the_picked_seats(
    client, house, seated, scoped
):
    performance, _tariff, cheap = seated
    a2, b1, b2 = seat_ids(performance, "A2", "B1", "B2")
    # Someone else takes B2 while this visitor looks at the plan.
    basket_add(
        house=house,
        actor=None,
        basket=basket_create(house=house),
        performance=performance,
        tariff=cheap,
        seats=[b2],
    )

    response = client.post(
        page_url(performance),
        {"action": "seats", "seat": [a2, b1, b2], "kind": Tariff.Kind.FULL},
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert nl("A seat you chose was just taken by someone else.") in html
    mine = basket_of(client, house)
    assert not Hold.objects.filter(basket=mine).exists()
    # A2 (another rank, claimed first) was given back with the rest.
    assert seat_states(performance, "A2", "B1", "B2") == ["free", "free", "held"]


def test_seats_of_another_performance_are_refused(client, house, seated, scoped):
    performance, tariff, cheap = seated
    other = PerformanceFactory(
        house=house, production=performance.production, hall=performance.hall
    )
    QuotaFactory(performance=other, size=100)
    performance_seating_setup(
        house=house,
        actor=None,
        performance=other,
        plan=performance_seating(performance=performance).plan,
        zones={1: tariff.category, 2: cheap.category},
    )
    [foreign] = seat_ids(other, "A1")

    response = client.post(
        page_url(performance),
        {"action": "seats", "seat": [foreign], "kind": Tariff.Kind.FULL},
    )

    assert response.status_code == 200
    assert Hold.objects.filter(state=Hold.State.HELD).count() == 0
    assert seat_states(other, "A1") == ["free"]


def test_no_seats_picked_asks_to_pick_them(client, seated, scoped):
    performance, _tariff, _cheap = seated

    response = client.post(
        page_url(performance), {"action": "seats", "kind": Tariff.Kind.FULL}
    )

    assert nl("Choose one or more seats on the plan first.") in (
        response.content.decode()
    )
    assert held(performance) == []


# ----------------------------------------------------------------- checkout


def test_the_checkout_shows_lines_with_seats_fees_and_total(
    client, house, seated, scoped
):
    performance, _tariff, _cheap = seated
    SalesSettingsFactory(
        house=house, fee_per_ticket=Decimal("1.00"), fee_per_order=Decimal("2.50")
    )
    client.post(
        page_url(performance),
        {
            "action": "seats",
            "seat": seat_ids(performance, "A2", "A3", "B1"),
            "kind": Tariff.Kind.FULL,
        },
    )

    response = client.get(checkout_url(house))

    html = response.content.decode()
    assert response.status_code == 200
    for row, number in (("A", 2), ("A", 3), ("B", 1)):
        label = nl(
            "%(section)s, row %(row)s, seat %(number)s",
            section="Zaal",
            row=row,
            number=number,
        )
        assert f"<li>{label}</li>" in html
    assert "2 × Volle prijs (€ 20,00)" in html
    assert "1 × Volle prijs (€ 10,00)" in html
    assert nl("Service fee per ticket") in html
    assert nl("Service fee per order") in html
    # 2 × 20 + 10 tickets, 3 × 1.00 per ticket, 2.50 per order
    assert "<strong>€ 55,50</strong>" in html
    assert 'class="countdown" data-seconds="' in html
    seconds = int(re.search(r'data-seconds="(\d+)"', html).group(1))
    assert 14 * 60 < seconds <= 15 * 60


def test_paying_with_mollie_places_one_order_and_goes_to_mollie(
    client, mollie_house, mollie_server, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )
    basket = basket_of(client, mollie_house)

    response = client.post(checkout_url(mollie_house), BUYER)

    [order] = Order.objects.filter(house=mollie_house)
    [payment] = Payment.objects.filter(order=order)
    remote = mollie_server.payments[payment.external_id]
    assert response.status_code == 302
    assert response.url == payment.checkout_url
    assert response.url == remote["_links"]["checkout"]["href"]
    assert response.url.startswith(mollie_server.url.removesuffix("/v2"))
    assert (order.state, order.total, order.buyer_email) == (
        Order.State.PENDING,
        Decimal("40.00"),
        "an@example.be",
    )
    assert order.idempotency_key == f"shop-{basket.token}"
    assert order.tickets.count() == 2
    assert (payment.provider, payment.state) == ("mollie", Payment.State.PENDING)
    assert remote["amount"] == {"currency": "EUR", "value": "40.00"}
    assert remote["redirectUrl"] == return_url(order)
    assert held(performance) == []  # the holds became the order


def test_a_double_click_places_one_order_and_goes_to_the_same_payment(
    client, mollie_house, mollie_server, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )

    first = client.post(checkout_url(mollie_house), BUYER)
    second = client.post(checkout_url(mollie_house), BUYER)

    assert Order.objects.filter(house=mollie_house).count() == 1
    assert len(mollie_server.payments) == 1
    assert Payment.objects.filter(house=mollie_house).count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url


def test_a_repeat_after_mollie_failed_tries_again_for_the_same_order(
    client, mollie_house, mollie_server, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )
    mollie_server.fail_next = (503, {"status": 503, "title": "Unavailable"})

    failed = client.post(checkout_url(mollie_house), BUYER)
    again = client.post(checkout_url(mollie_house), BUYER)

    [order] = Order.objects.filter(house=mollie_house)
    states = list(order.payments.order_by("pk").values_list("state", flat=True))
    assert failed.status_code == 200
    assert states == [Payment.State.FAILED, Payment.State.PENDING]
    assert again.status_code == 302
    assert again.url == order.payments.order_by("pk").last().checkout_url


def test_a_free_basket_is_confirmed_and_goes_to_the_return_page(client, house, scoped):
    performance, tariff, _quota = on_sale_performance(house, price=Decimal("0.00"))
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )

    checkout = client.get(checkout_url(house)).content.decode()
    response = client.post(checkout_url(house), BUYER)

    again = client.post(checkout_url(house), BUYER)  # a double click

    [order] = Order.objects.filter(house=house)
    [payment] = order.payments.all()
    assert nl("Confirm") in checkout
    assert response.status_code == again.status_code == 302
    assert response.url == again.url == return_url(order)
    assert (order.state, order.total) == (Order.State.PAID, Decimal("0.00"))
    assert (payment.provider, payment.state) == ("free", Payment.State.PAID)


def test_a_bank_transfer_is_started_when_the_house_has_only_an_iban(
    client, house, ga, scoped
):
    performance, tariff, _quota, _other = ga
    SalesSettingsFactory(house=house, bank_account_iban="BE68539007547034")
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    response = client.post(checkout_url(house), BUYER)

    [order] = Order.objects.filter(house=house)
    [payment] = order.payments.all()
    assert response.status_code == 302
    assert response.url == return_url(order)
    assert payment.provider == "bank_transfer"
    assert payment.structured_communication.startswith("+++")


@pytest.mark.parametrize(
    ("buyer", "message"),
    [
        (
            {"buyer_name": "An Peeters", "buyer_email": "an@"},
            "Enter a valid email address.",
        ),
        ({"buyer_name": "", "buyer_email": "an@example.be"}, "This field is required."),
    ],
)
def test_bad_buyer_details_are_form_errors_and_place_nothing(
    client, mollie_house, mollie_server, ga, scoped, buyer, message
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    response = client.post(checkout_url(mollie_house), buyer)

    assert response.status_code == 200
    assert nl(message) in response.content.decode()
    assert not Order.objects.filter(house=mollie_house).exists()
    assert mollie_server.requests == []
    assert len(held(performance)) == 1


def test_a_house_without_online_payment_says_so_and_places_nothing(
    client, house, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    response = client.post(checkout_url(house), BUYER)

    assert response.status_code == 200
    assert nl("This house does not take payments online yet.") in (
        response.content.decode()
    )
    assert not Order.objects.filter(house=house).exists()
    assert len(held(performance)) == 1


def test_an_expired_basket_shows_the_expired_message(client, house, ga, scoped):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        page = client.get(checkout_url(house))
        posted = client.post(checkout_url(house), BUYER)

    assert nl("Your basket has expired; please start again.") in page.content.decode()
    assert nl("Your basket has expired; please start again.") in (
        posted.content.decode()
    )
    assert not Order.objects.filter(house=house).exists()


def test_an_expired_basket_is_replaced_by_a_new_one_on_adding(
    client, house, ga, scoped
):
    performance, tariff, quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "3"}
    )
    first = basket_of(client, house)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(
            page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "4"}
        )

    assert response.status_code == 302
    assert basket_of(client, house).pk != first.pk
    assert [h.quantity for h in held(performance)] == [4]
    assert Quota.objects.get(pk=quota.pk).used == 4  # the expired 3 were given back


def test_an_empty_checkout_says_so(client, house):
    response = client.get(checkout_url(house))

    assert response.status_code == 200
    assert nl("Your basket is empty.") in response.content.decode()


def test_removing_a_line_releases_it(client, house, ga, scoped):
    performance, tariff, quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )
    [hold] = held(performance)

    response = client.post(reverse("shop:hold-remove", args=[house.slug, hold.pk]))

    assert response.status_code == 302
    assert response.url == checkout_url(house)
    hold.refresh_from_db()
    assert hold.state == Hold.State.RELEASED
    assert Quota.objects.get(pk=quota.pk).used == 0
    page = client.get(response.url).content.decode()
    assert nl("Removed from your basket.") in page
    assert nl("Your basket is empty.") in page


def test_removing_a_seat_line_frees_its_seats(client, house, seated, scoped):
    performance, _tariff, _cheap = seated
    client.post(
        page_url(performance),
        {
            "action": "seats",
            "seat": seat_ids(performance, "A1", "A2"),
            "kind": Tariff.Kind.FULL,
        },
    )
    [hold] = held(performance)

    client.post(reverse("shop:hold-remove", args=[house.slug, hold.pk]))

    assert seat_states(performance, "A1", "A2") == ["free", "free"]


def test_another_visitor_cannot_see_remove_or_buy_my_holds(
    client, mollie_house, mollie_server, ga, scoped
):
    performance, tariff, quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )
    [hold] = held(performance)
    stranger = Client()

    page = stranger.get(checkout_url(mollie_house))
    removed = stranger.post(
        reverse("shop:hold-remove", args=[mollie_house.slug, hold.pk])
    )
    bought = stranger.post(checkout_url(mollie_house), BUYER)

    assert nl("Your basket is empty.") in page.content.decode()
    assert f"/weg/{hold.pk}/" not in page.content.decode()
    assert removed.status_code == 302
    assert bought.status_code == 200
    hold.refresh_from_db()
    assert hold.state == Hold.State.HELD
    assert Quota.objects.get(pk=quota.pk).used == 2
    assert not Order.objects.filter(house=mollie_house).exists()
    assert mollie_server.requests == []


def test_my_basket_at_one_house_is_not_shown_at_another(
    client, house, other_house, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    html = client.get(checkout_url(other_house)).content.decode()

    assert nl("Your basket is empty.") in html


# ------------------------------------------------------------- seat states


def test_seat_states_show_free_or_taken_only(client, house, seated, scoped):
    performance, tariff, _cheap = seated
    a1, a2, a3 = seat_ids(performance, "A1", "A2", "A3")
    basket_add(  # A1 held
        house=house,
        actor=None,
        basket=basket_create(house=house),
        performance=performance,
        tariff=tariff,
        seats=[a1],
    )
    sold = basket_create(house=house)  # A2 sold
    basket_add(
        house=house,
        actor=None,
        basket=sold,
        performance=performance,
        tariff=tariff,
        seats=[a2],
    )
    order_place(house=house, actor=None, basket=sold, **BUYER)
    seats_block(house=house, actor=None, performance=performance, seat_ids=[a3])

    response = client.get(reverse("shop:performance-seats", args=[performance.pk]))

    states = response.json()["states"]
    assert response.status_code == 200
    assert seat_states(performance, "A1", "A2", "A3") == ["held", "sold", "blocked"]
    assert [states[str(pk)] for pk in (a1, a2, a3)] == ["taken"] * 3
    all_seats = PerformanceSeat.objects.filter(performance=performance)
    assert set(states) == {str(pk) for pk in all_seats.values_list("pk", flat=True)}
    assert sorted(set(states.values())) == ["free", "taken"]
    assert list(states.values()).count("free") == all_seats.count() - 3


# ------------------------------------------------------------------ tenancy


@pytest.fixture
def elsewhere(house):
    """A performance on sale in a house of another cluster (with its tariff)."""
    far = HouseFactory(cluster=ClusterFactory(slug="elders"), slug="elders-huis")
    performance, tariff, _quota = on_sale_performance(far)
    return performance, tariff


@pytest.fixture
def hidden(house):
    """A hidden performance of this house, on sale to staff only (with its tariff)."""
    performance, tariff, _quota = on_sale_performance(house)
    Performance.objects.filter(pk=performance.pk).update(
        visibility=Performance.Visibility.HIDDEN
    )
    return performance, tariff


@pytest.mark.parametrize("url_name", ["shop:performance", "shop:performance-seats"])
@pytest.mark.parametrize("which", ["elsewhere", "hidden"])
def test_a_performance_of_another_cluster_or_hidden_is_not_found(
    client, request, house, url_name, which
):
    performance, _tariff = request.getfixturevalue(which)

    response = client.get(reverse(url_name, args=[performance.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("which", ["elsewhere", "hidden"])
def test_buying_a_performance_of_another_cluster_or_hidden_is_refused(
    client, request, house, which
):
    performance, tariff = request.getfixturevalue(which)

    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    assert response.status_code == 404
    assert SESSION_BASKETS not in client.session


def test_the_checkout_of_a_house_of_another_cluster_is_not_found(
    client, house, elsewhere
):
    performance, _tariff = elsewhere

    response = client.get(checkout_url(performance.house))

    assert response.status_code == 404


# ------------------------------------------------ confirmation, lost tickets, customer


def test_only_the_session_that_placed_a_paid_order_downloads_its_tickets(
    client, house, scoped
):
    performance, tariff, _quota = on_sale_performance(house, price=Decimal("0.00"))
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "2"}
    )
    client.post(checkout_url(house), BUYER)
    [order] = Order.objects.filter(house=house)
    pdf_url = reverse("shop:order-tickets-pdf", args=[order.code])

    confirmation = client.get(reverse("shop:payment-return", args=[order.code]))
    mine = client.get(pdf_url)
    stranger = Client().get(pdf_url)
    strangers_page = Client().get(reverse("shop:payment-return", args=[order.code]))

    assert f'href="{pdf_url}"' in confirmation.content.decode()
    assert (mine.status_code, mine["Content-Type"]) == (200, "application/pdf")
    assert mine.content.startswith(b"%PDF")
    assert stranger.status_code == 404
    assert f'href="{pdf_url}"' not in strangers_page.content.decode()


def test_an_expired_basket_offers_the_lost_show_again_and_other_dates(
    client, house, ga, scoped
):
    performance, tariff, _quota, other_date = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        html = client.get(checkout_url(house)).content.decode()

    assert nl("Your basket has expired; please start again.") in html
    assert f'href="{page_url(performance)}"' in html
    assert f'href="{page_url(other_date)}"' in html


def test_the_checkout_asks_a_name_and_e_mail_and_folds_the_company_away(
    client, house, ga, scoped
):
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    html = client.get(checkout_url(house)).content.decode()

    required = re.findall(r'<input[^>]*name="(\w+)"[^>]*required', html)
    assert required == ["buyer_name", "buyer_email"]
    assert re.search(r'<details class="company">', html)  # closed
    assert 'name="company_vat"' in html


def test_a_signed_in_customer_is_prefilled_and_linked_to_the_order(
    client, house, cluster, mollie_house, mollie_server, ga, scoped
):
    from podium.customers.models import Customer
    from podium.shop.session import SESSION_CUSTOMER_KEY

    customer = Customer.objects.create(
        cluster=cluster, name="Mira Claes", email="mira@example.be"
    )
    session = client.session
    session[SESSION_CUSTOMER_KEY] = customer.pk
    session.save()
    performance, tariff, _quota, _other = ga
    client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": "1"}
    )

    html = client.get(checkout_url(house)).content.decode()
    client.post(
        checkout_url(house),
        {"buyer_name": "Mira Claes", "buyer_email": "mira@example.be"},
    )

    assert 'value="Mira Claes"' in html and 'value="mira@example.be"' in html
    assert Order.objects.get(house=house).customer == customer
