"""A production officer generates a hall's first seat plan: stalls and a balcony."""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.seating.models import SeatPlan
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_production_officer_generates_stalls_and_a_balcony(
    page: Page, house, staff_factory
):
    hall = HallFactory(house=house, name="Grote zaal")
    staff_factory(house, StaffRole.Role.PRODUCTION, username="regie")
    page.goto("/office/login/")
    page.get_by_label("Username").fill("regie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The halls of the house, and a hall without a plan yet.
    page.get_by_role("navigation", name="Office").get_by_role(
        "link", name="Halls"
    ).click()
    expect(page.get_by_role("heading", name="Halls")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Grote zaal").click()
    expect(page.get_by_text("This hall has no seat plan yet.")).to_be_visible()
    page.get_by_role("link", name="Generate a new version").click()
    expect(page.get_by_role("heading", name="Generate a seat plan")).to_be_visible()
    assert_accessible(page)

    # Six rows of ten (rows A–C rank 1), and a curved balcony of two rows of eight;
    # first with the balcony's rank boundaries the wrong way round.
    stalls = page.get_by_role("group", name="First section (e.g. stalls)")
    stalls.get_by_label("Rows", exact=True).fill("6")
    stalls.get_by_label("Seats per row").fill("10")
    stalls.get_by_label("Rank boundaries").fill("3")
    balcony = page.get_by_role("group", name="Second section (optional")
    balcony.get_by_label("Rows", exact=True).fill("2")
    balcony.get_by_label("Seats per row").fill("8")
    balcony.get_by_label("Curved rows").check()
    balcony.get_by_label("Rank boundaries").fill("2, 1")
    page.get_by_role("button", name="Save as a new version").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Rank boundaries must be rising row numbers"
    )
    assert_accessible(page)
    with house_scope(house):
        assert not SeatPlan.objects.filter(hall=hall).exists()
    balcony.get_by_label("Rank boundaries").fill("")
    page.get_by_role("button", name="Save as a new version").click()

    expect(
        page.get_by_text("Version 1 of the seat plan was saved (76 seats).")
    ).to_be_visible()
    expect(
        page.get_by_role("group", name="Seat plan of Grote zaal, version 1")
    ).to_be_visible()
    expect(page.get_by_role("checkbox")).to_have_count(76)
    expect(page.get_by_text("Rank 1: 46 seats")).to_be_visible()  # balcony: rank 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (for spreadsheets)").click()
    assert download.value.suggested_filename == "house-a-grote-zaal-v1.csv"
