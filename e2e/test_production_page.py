"""A visitor on a phone reads a production's page and goes on to buy tickets."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from podium.catalog.tests.factories import (
    ArtistFactory,
    PressQuoteFactory,
    ThemeFactory,
    VideoLinkFactory,
)
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.tenancy.scoping import house_scope

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def storm(house):
    """A production as the demo has them: text, artists, press, video, prices."""
    with house_scope(house):
        performance, _tariff, _quota = on_sale_performance(
            house, price=Decimal("24.00")
        )
        production = performance.production
        production.title = {"nl": "De Storm", "en": "The Tempest"}
        production.subtitle = {"en": "after William Shakespeare"}
        production.description = {
            "en": "<p>A shipwreck, an island and a father who must let go.</p>"
        }
        production.age_min = 12
        production.slug = "de-storm"
        production.save()
        production.themes.set([ThemeFactory(name={"en": "Classics"})])
        production.artists.set(
            [
                ArtistFactory(
                    house=house,
                    name="Tafeltheater",
                    bio={"en": "A company playing the classics with one table."},
                )
            ]
        )
        PressQuoteFactory(
            production=production,
            quote={"en": "Stormy and moving."},
            source="Gazet van de Dijle",
        )
        VideoLinkFactory(production=production, url="https://vimeo.com/1")
        reduced = PriceCategoryFactory(house=house, production=production)
        TariffFactory(category=reduced, price=Decimal("12.00"))
        venue = performance.hall.venue
        venue.wheelchair_accessible = True
        venue.access_info = {"en": "Tram 4, stop Zuid. Parking behind the house."}
        venue.save()
    return performance


def test_a_phone_visitor_reads_the_page_and_goes_to_the_tickets(
    page: Page, house, storm
):
    # Given a visitor on a phone on the production's page
    page.goto(f"/{house.slug}/de-storm/")
    expect(page.get_by_role("heading", level=1, name="The Tempest")).to_be_visible()
    expect(page.get_by_text("Stormy and moving.")).to_be_visible()
    expect(page.get_by_text("€ 12.00 – € 24.00")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    # When they follow the tickets link of the performance
    page.get_by_role("link", name="Tickets").first.click()

    # Then they are on the page where its tickets are bought
    expect(page).to_have_url(re.compile(rf"/voorstelling/{storm.pk}/$"))
    expect(page.get_by_role("heading", level=1, name="The Tempest")).to_be_visible()
    expect(page.get_by_role("button", name="To the basket")).to_be_visible()
