"""A visitor buys two adjacent seats in a 640-seat hall (the demo's Grote zaal plan):
once with the keyboard only, once on a phone by tapping; paid through our local
Mollie server, whose checkout calls the webhook on the live server."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from podium.demo.demo_seating import grote_zaal
from podium.sales.models import Order, SalesSettings, Ticket
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.seating.models import PerformanceSeat
from podium.seating.plans import plan_create
from podium.seating.services import performance_seating_setup
from podium.tenancy.scoping import house_scope

from .conftest import PHONE
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A phone-sized page of a visitor whose browser asks for Dutch."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="nl-BE", has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def grote_zaal_show(house, settings, live_server, mollie_server):
    settings.PODIUM_PUBLIC_URL = live_server.url  # where Mollie sends its webhook
    with house_scope(house):
        performance, full, _quota = on_sale_performance(
            house, size=640, price=Decimal("24.00")
        )
        performance.hall.capacity = 640
        performance.hall.save()
        second = PriceCategoryFactory(
            house=house,
            production=performance.production,
            name={"nl": "Rang 2", "fr": "Rang 2", "en": "Rank 2"},
        )
        TariffFactory(category=second, price=Decimal("19.00"))
        plan = plan_create(
            house=house, actor=None, hall=performance.hall, spec=grote_zaal()
        )
        performance_seating_setup(
            house=house,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: full.category, 2: second},
        )
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
    return performance


def _paid_seats(house):
    with house_scope(house):
        order = Order.objects.get()
        return order.state, sorted(
            Ticket.objects.filter(order=order).values_list("seat_label", flat=True)
        )


def test_keyboard_only_visitor_buys_two_adjacent_seats(
    page: Page, house, grote_zaal_show
):
    page.goto(f"/voorstelling/{grote_zaal_show.pk}/")
    assert_accessible(page)

    # Tab from the top of the page until a seat of the plan has the focus.
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "checkbox":
            break
    else:
        pytest.fail("no seat of the plan is reachable with Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Zaal, rij A, stoel ")
    page.keyboard.press("ArrowDown")  # row B
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.locator(".seat-count")).to_have_text("2")
    chosen = page.locator('.seat[aria-checked="true"]')
    expect(chosen).to_have_count(2)
    orders = chosen.evaluate_all("els => els.map(e => Number(e.dataset.order))")
    assert abs(orders[0] - orders[1]) == 1  # side by side

    # On to the tariff and the button, by keyboard.
    page.keyboard.press("Tab")  # leaves the plan (one tab stop for all seats)
    for _n in range(10):
        if page.evaluate("document.activeElement.id") == "id_kind":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Take these seats"

    expect(page.get_by_role("heading", name="Je winkelmandje")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    page.get_by_label("Je naam").focus()
    page.keyboard.type("An Peeters")
    page.keyboard.press("Tab")
    page.keyboard.type("an@example.be")
    page.keyboard.press("Enter")

    # The local Mollie checkout: choose "paid" with the keyboard.
    expect(page.get_by_role("link", name="paid")).to_be_visible()
    page.get_by_role("link", name="paid").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")

    state, labels = _paid_seats(house)
    assert state == "paid" and len(labels) == 2
    assert all(label.startswith("Zaal, rij B, stoel ") for label in labels)


def test_phone_visitor_taps_two_seats_and_pays(page: Page, house, grote_zaal_show):
    page.goto(f"/voorstelling/{grote_zaal_show.pk}/")
    plan = page.locator("svg.seat-plan")
    expect(plan).to_be_visible()
    page.get_by_role("button", name="Inzoomen").tap()
    page.get_by_role("button", name="Inzoomen").tap()
    seat = page.get_by_role("checkbox", name="Zaal, rij C, stoel 1,", exact=False)
    neighbour = page.get_by_role("checkbox", name="Zaal, rij C, stoel 3,", exact=False)
    seat.tap()
    neighbour.tap()
    expect(page.locator(".seat-count")).to_have_text("2")
    page.get_by_role("button", name="Neem deze plaatsen").tap()

    expect(page.get_by_role("heading", name="Je winkelmandje")).to_be_visible()
    page.get_by_label("Je naam").fill("Jan Claes")
    page.get_by_label("Je e-mailadres").fill("jan@example.be")
    page.get_by_role("button", name="Betaal € 48,00").tap()
    page.get_by_role("link", name="paid").tap()

    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    state, labels = _paid_seats(house)
    assert (state, labels) == (
        "paid",
        ["Zaal, rij C, stoel 1", "Zaal, rij C, stoel 3"],
    )


def test_a_seat_taken_meanwhile_is_let_go_when_the_plan_refreshes(
    page: Page, house, grote_zaal_show
):
    page.goto(f"/voorstelling/{grote_zaal_show.pk}/")
    seat = page.get_by_role("checkbox", name="Zaal, rij D, stoel 2,", exact=False)
    seat.focus()
    page.keyboard.press("Space")
    expect(seat).to_have_attribute("aria-checked", "true")

    with house_scope(house):  # someone else buys it
        PerformanceSeat.objects.filter(
            performance=grote_zaal_show, seat__row="D", seat__number="2"
        ).update(state="sold")
    page.get_by_role("button", name="Vernieuwen").click()

    expect(seat).to_have_attribute("aria-checked", "false")
    expect(seat).to_have_attribute("aria-disabled", "true")
    expect(seat).to_have_attribute(
        "aria-label", "Zaal, rij D, stoel 2, rang 1, 24 euro, bezet"
    )
    expect(page.locator(".seat-live")).to_contain_text(
        "Intussen door iemand anders genomen"
    )
    expect(page.locator(".seat-count")).to_have_text("0")
