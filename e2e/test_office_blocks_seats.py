"""A ticketing officer blocks two seats (the mixing desk) with the keyboard only."""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.sales.tests.factories import PriceCategoryFactory, on_sale_performance
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.test_seat_sales import small_plan
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def seated(house):
    with house_scope(house):
        performance, tariff, _quota = on_sale_performance(house)
        second = PriceCategoryFactory(house=house, production=performance.production)
        performance_seating_setup(
            house=house,
            actor=None,
            performance=performance,
            plan=small_plan(performance.hall, rows=3, seats=8),
            zones={1: tariff.category, 2: second},
        )
    return performance


def test_keyboard_only_blocking_of_two_adjacent_seats(
    page: Page, house, staff_factory, seated
):
    staff_factory(house, StaffRole.Role.TICKETING, username="kassa")
    page.goto("/office/login/")
    page.get_by_label("Username").fill("kassa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/office/performances/{seated.pk}/seats/")
    plan = page.get_by_role("group", name="Seat plan of")
    expect(plan).to_be_visible()
    assert_accessible(page)
    first = page.get_by_role("checkbox", name="Stalls, row A, seat 1, rank 1")
    expect(first).to_have_attribute("tabindex", "0")

    # One seat of the plan is in the tab order; arrows move, Space chooses.
    first.focus()
    page.keyboard.press("ArrowDown")  # row B, seat 1
    page.keyboard.press("ArrowRight")  # row B, seat 2
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # row B, seat 3
    page.keyboard.press("Space")
    expect(
        page.get_by_role("checkbox", name="Stalls, row B, seat 2", exact=False)
    ).to_have_attribute("aria-checked", "true")
    expect(page.locator(".seat-count")).to_have_text("2")
    expect(page.locator(".seat-live")).to_contain_text("Seats chosen: 2.")
    page.get_by_label("Why (for staff)").fill("regie")
    page.get_by_role("button", name="Block").press("Enter")

    expect(page.get_by_text("2 seats blocked.")).to_be_visible()
    with house_scope(house):
        blocked = PerformanceSeat.objects.filter(performance=seated, state="blocked")
        assert sorted(
            f"{s.seat.row}{s.seat.number}" for s in blocked.select_related("seat")
        ) == ["B2", "B3"]
    expect(
        page.get_by_role("checkbox", name="Stalls, row B, seat 2", exact=False)
    ).to_have_attribute("aria-label", "Stalls, row B, seat 2, rank 2, not for sale")
