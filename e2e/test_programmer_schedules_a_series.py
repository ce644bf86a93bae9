"""A programmer logs in, creates a production and schedules every Friday of a month."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.catalog.series import series_dates
from podium.catalog.tests.factories import TaxonomyTermFactory
from podium.office.tests.helpers import month_after
from podium.tenancy.models import StaffRole
from podium.tenancy.tests.factories import HallFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_accessible(page: Page) -> None:
    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']}: {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: {serious}"


@pytest.fixture
def programmer(house, staff_factory):
    return staff_factory(house, StaffRole.Role.PROGRAMMER, username="programmeur")


def test_programmer_schedules_every_friday_of_a_month(page: Page, house, programmer):
    hall = HallFactory(house=house, name="Grote zaal")
    TaxonomyTermFactory()  # "Theatre performance"
    first, last = month_after()
    fridays = series_dates(first=first, last=last, weekdays={4})

    # Given a programmer on the log-in page
    page.goto("/office/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill("programmeur")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Coming up at Huis A")).to_be_visible()
    assert_accessible(page)

    # When they create a production in Dutch and English
    page.get_by_role("link", name="New production").click()
    expect(page.get_by_role("heading", name="New production")).to_be_visible()
    assert_accessible(page)
    title = page.get_by_role("group", name="Title", exact=True)
    title.get_by_label("Nederlands").fill("De Storm")
    title.get_by_label("English").fill("The Tempest")
    page.get_by_label("Discipline").select_option(label="Theatre performance")
    page.get_by_role("button", name="Create the production").click()
    expect(page.get_by_role("heading", name="The Tempest", level=1)).to_be_visible()

    # And add a series: every Friday of the month at 20:00 in the big hall
    page.get_by_role("link", name="Add a series of performances").click()
    expect(page.get_by_role("heading", name="Add a series")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Hall").select_option(value=str(hall.pk))
    page.get_by_label("First date").fill(first.isoformat())
    page.get_by_label("Last date").fill(last.isoformat())
    page.get_by_label("Friday", exact=True).check()
    page.get_by_label("Start time").fill("20:00")
    page.get_by_role("button", name="Add the performances").click()

    # Then the production lists one performance per Friday, at 20:00
    expect(page.get_by_text(f"{len(fridays)} performances were added.")).to_be_visible()
    rows = page.get_by_role("table", name="Performances of this production")
    for friday in fridays:
        when = f"Fri {friday.day} {friday:%b} {friday.year}, 20:00"
        expect(rows.get_by_role("row").filter(has_text=when)).to_have_count(1)

    # And so does the office start page
    page.get_by_role("navigation").get_by_role("link", name="Start").click()
    coming = page.get_by_role("table", name="Coming performances")
    expect(coming.get_by_role("row").filter(has_text="The Tempest")).to_have_count(
        len(fridays)
    )
