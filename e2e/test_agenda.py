"""A visitor on a phone searches the agenda, filters it and opens the month calendar."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.test_programmer_schedules_a_series import assert_accessible
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
)
from podium.tenancy.tests.factories import HallFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _show(house, title, days):
    starts_at = (timezone.localtime() + timedelta(days=days)).replace(
        hour=20, minute=0, second=0, microsecond=0
    )
    production = ProductionFactory(house=house, title=title)
    performance = PerformanceFactory(
        house=house,
        production=production,
        hall=HallFactory(house=house, name="Grote zaal"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    category = PriceCategoryFactory(house=house, production=production)
    TariffFactory(category=category, price=Decimal("12"))
    TariffFactory(category=category, price=Decimal("24"))
    QuotaFactory(performance=performance, size=300)
    return performance


def test_visitor_searches_filters_and_opens_the_calendar(
    page: Page, house, other_house
):
    tempest = _show(
        house, {"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"}, 3
    )
    _show(other_house, {"fr": "La Tempête", "en": "The Tempest (on tour)"}, 4)
    _show(house, {"nl": "Buurconcert", "en": "Neighbour concert"}, 5)

    # Given a visitor on the agenda
    page.goto("/agenda/")
    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Neighbour concert")).to_be_visible()
    assert_accessible(page)

    # When they search without accents
    page.get_by_label("Search", exact=True).fill("tempete")
    page.get_by_role("button", name="Search", exact=True).click()

    # Then only the tempests are left
    expect(page.get_by_role("link", name="The Tempest", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="The Tempest (on tour)")).to_be_visible()
    expect(page.get_by_role("link", name="Neighbour concert")).to_have_count(0)

    # When they unfold the filters (a plain search leaves them folded) and narrow it
    # down to one house
    page.locator("details.agenda-more > summary").click()
    page.get_by_label("House").select_option(label="Huis A")
    page.get_by_role("button", name="Filter").click()

    # Then one performance is left, with its price and badge in words
    expect(page.get_by_role("link", name="The Tempest", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="The Tempest (on tour)")).to_have_count(0)
    expect(page.get_by_text("€ 12–24")).to_be_visible()
    expect(page.get_by_text("On sale", exact=True)).to_be_visible()
    assert_accessible(page)

    # When they open the calendar
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", name="Agenda", level=1)).to_be_visible()
    if timezone.localdate(tempest.starts_at).month != timezone.localdate().month:
        page.get_by_role("link", name="Next month").click()

    # Then the month shows the performance as a list of days on the phone
    expect(page.locator("caption")).to_be_visible()
    expect(page.get_by_role("link", name="The Tempest")).to_be_visible()
    expect(page.get_by_role("columnheader").first).to_be_hidden()
    assert_accessible(page)
