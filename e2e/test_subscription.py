"""A visitor on a phone composes a free-choice subscription of four shows, takes the
best seats, sees the total and the saving, and pays once through our local Mollie:
one paid order, a seated ticket per show, the subscription linked. Once by tapping,
once with the keyboard only."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from podium.passes.models import Subscription
from podium.passes.tests.factories import choice_type, tariff_under_26
from podium.sales.models import Order, SalesSettings, Ticket
from podium.sales.tests.factories import on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

from .conftest import PHONE
from .test_guest_checkout import _tab_to
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def season(house, settings, live_server, mollie_server):
    """Six seated shows at € 20 in one hall; "choose 4 to 8, 15 % off"."""
    settings.PODIUM_PUBLIC_URL = live_server.url  # where Mollie sends its webhook
    with house_scope(house):
        hall = HallFactory(house=house, name="Grote zaal", capacity=18)
        plan = seat_plan_make(house=house, hall=hall, zone_rows=[])
        performances = []
        for _n in range(6):
            performance, tariff, _quota = on_sale_performance(
                house, size=18, price=Decimal("20.00")
            )
            performance.hall = hall
            performance.save()
            performance_seating_setup(
                house=house,
                actor=None,
                performance=performance,
                plan=plan,
                zones={1: tariff.category},
            )
            performances.append(performance)
        type_ = choice_type(house, performances, low=4, high=8)
        tariff_under_26(house, type_, factor=Decimal("0.8"))
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
    return type_, sorted(performances, key=lambda p: (p.starts_at, p.pk))


def _paid(house):
    with house_scope(house):
        order = Order.objects.get()
        tickets = list(Ticket.objects.filter(order=order))
        subscription = Subscription.objects.get()
        linked = set(subscription.tickets.values_list("pk", flat=True))
    return order, tickets, subscription, linked


def test_a_visitor_on_a_phone_buys_a_four_show_subscription_with_seats(
    page: Page, house, season
):
    type_, performances = season
    assert page.viewport_size == PHONE

    # Given the subscriptions on sale
    page.goto("/abonnementen/")
    page.get_by_role("link", name="Theatre series A").first.click()
    expect(page.get_by_role("heading", name="Theatre series A")).to_be_visible()
    assert_accessible(page)

    # When they tick four shows and calculate
    for performance in performances[:4]:
        page.locator(f"#performance-{performance.pk}").check()
    page.get_by_role("button", name="Calculate").click()

    # Then they see the total and the saving (4 × € 20 less 15 %)
    quote = page.locator(".quote")
    expect(quote.locator(".total")).to_have_text("€ 68.00")
    expect(quote.locator(".saving")).to_have_text("€ 12.00")
    assert_accessible(page)

    # When they take the best seats: each show's seats are shown
    page.get_by_role("button", name="Take the best seats").click()
    expect(page.get_by_role("heading", name="Your seats are held")).to_be_visible()
    expect(page.locator("ul.seats li")).to_have_count(4)
    assert_accessible(page)

    # And they go to the checkout, which charges the subscription's prices, and pay
    page.get_by_role("link", name="To checkout").click()
    expect(page.get_by_role("heading", name="Your basket")).to_be_visible()
    expect(page.locator("table.basket")).to_contain_text("€ 17.00")
    page.get_by_label("Your name").fill("Lena Maes")
    page.get_by_label("Your e-mail address").fill("lena@example.be")
    page.get_by_role("button", name=re.compile(r"^Pay € 68")).click()
    page.get_by_role("link", name="paid").click()  # the local Mollie checkout
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")

    # Then one paid order with four seated tickets, all of the subscription
    order, tickets, subscription, linked = _paid(house)
    assert (order.state, order.total) == ("paid", Decimal("68.00"))
    assert len(tickets) == 4
    assert all(ticket.seat_id and ticket.seat_label for ticket in tickets)
    assert {t.performance_id for t in tickets} == {p.pk for p in performances[:4]}
    assert subscription.order_id == order.pk
    assert linked == {ticket.pk for ticket in tickets}
    assert (subscription.total, subscription.saving) == (
        Decimal("68.00"),
        Decimal("12.00"),
    )


def test_a_visitor_composes_a_subscription_with_the_keyboard_only(
    page: Page, house, season
):
    type_, performances = season
    page.goto(f"/abonnementen/{house.slug}/{type_.pk}/")

    for performance in performances[:4]:
        _tab_to(page, f"el.id === 'performance-{performance.pk}'")
        page.keyboard.press("Space")
    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'quote'")
    page.keyboard.press("Enter")
    expect(page.locator(".quote .total")).to_have_text("€ 68.00")

    _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'claim'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your seats are held")).to_be_visible()
    _tab_to(page, "el.textContent === 'To checkout'")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your basket")).to_be_visible()
    _tab_to(page, "el.id === 'id_buyer_name'")
    page.keyboard.type("Noor Janssens")
    page.keyboard.press("Tab")
    page.keyboard.type("noor@example.be")
    _tab_to(page, "el.type === 'submit' && el.textContent.startsWith('Pay')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="paid")).to_be_visible()
    _tab_to(page, "el.textContent === 'paid'")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    order, tickets, subscription, _linked = _paid(house)
    assert (order.state, len(tickets), subscription.order_id) == ("paid", 4, order.pk)


@pytest.fixture
def series(house, settings, live_server, mollie_server):
    """Three seated shows on one plan; a same-seat series of the three at € 54."""
    from podium.passes.tests.factories import fixed_type

    settings.PODIUM_PUBLIC_URL = live_server.url
    with house_scope(house):
        hall = HallFactory(house=house, name="Grote zaal", capacity=18)
        plan = seat_plan_make(house=house, hall=hall, zone_rows=[])
        performances = []
        for _n in range(3):
            performance, tariff, _quota = on_sale_performance(
                house, size=18, price=Decimal("20.00")
            )
            performance.hall = hall
            performance.save()
            performance_seating_setup(
                house=house,
                actor=None,
                performance=performance,
                plan=plan,
                zones={1: tariff.category},
            )
            performances.append(performance)
        type_ = fixed_type(house, performances, price="54.00", same_seat=True)
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
    return type_, performances


def test_a_visitor_picks_the_same_seats_for_a_series_on_the_plan(
    page: Page, house, series
):
    type_, performances = series
    page.goto(f"/abonnementen/{house.slug}/{type_.pk}/")
    page.get_by_label("Number of people").fill("2")
    page.get_by_role("button", name="Calculate").click()

    # The plan of the series: two seats picked by tapping
    plan = page.locator("svg.seat-plan")
    expect(plan).to_be_visible()
    assert_accessible(page)
    free = page.locator("g.seat.seat-free")
    free.nth(7).click()
    free.nth(8).click()
    expect(page.locator(".seat-count")).to_have_text("2")
    page.get_by_role("button", name="Take these seats").click()
    expect(page.get_by_role("heading", name="Your seats are held")).to_be_visible()

    page.get_by_role("link", name="To checkout").click()
    page.get_by_label("Your name").fill("Lena Maes")
    page.get_by_label("Your e-mail address").fill("lena@example.be")
    page.get_by_role("button", name=re.compile(r"^Pay € ")).click()
    page.get_by_role("link", name="paid").click()
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")

    with house_scope(house):
        tickets = list(Ticket.objects.select_related("performance"))
    by_show: dict[int, set[str]] = {}
    for ticket in tickets:
        by_show.setdefault(ticket.performance_id, set()).add(ticket.seat_label)
    assert len(tickets) == 6
    assert len({frozenset(labels) for labels in by_show.values()}) == 1
