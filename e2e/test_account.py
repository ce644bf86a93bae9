"""A visitor opens an account on a phone, saves a performance on the wish list and
shares it; a friend opens the shared list in a fresh browser and can buy from it."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from podium.customers.models import Customer, WishlistItem
from podium.sales.tests.factories import on_sale_performance

from .conftest import PHONE
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def show(house):
    cache.clear()  # no throttling left over from other tests
    performance, _tariff, _quota = on_sale_performance(house)
    production = performance.production
    production.title = {"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"}
    production.save()
    return performance


def test_sign_up_save_and_share_the_wish_list(page: Page, browser, live_server, show):
    # A visitor on the sign-in page opens an account instead
    page.goto("/account/aanmelden/")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open an account").click()
    page.get_by_label("Name").fill("An Peeters")
    page.get_by_label("E-mail address").fill("an@example.be")
    page.get_by_label("Password").fill("een-lang-wachtwoord-42")
    page.get_by_role("button", name="Open my account").click()
    expect(page.get_by_role("heading", name="Hello An Peeters")).to_be_visible()
    assert_accessible(page)
    customer = Customer.objects.get(email="an@example.be")

    # She saves the performance on her wish list
    page.goto(f"/verlanglijst/bewaar/{show.pk}/")
    page.get_by_role("button", name="Save on my wish list").click()
    expect(page.get_by_text("Saved on your wish list.")).to_be_visible()
    assert WishlistItem.objects.filter(customer=customer, performance=show).exists()
    page.goto("/verlanglijst/")
    expect(page.get_by_role("link", name="The Tempest", exact=True)).to_be_visible()
    page.get_by_role("button", name="Make a link to share").click()
    share_url = page.get_by_label("Link to my wish list").input_value()
    assert share_url.startswith(live_server.url)
    assert_accessible(page)

    # A friend opens the link in a browser of their own: read only, with a buy link
    friend_context = browser.new_context(viewport=PHONE, locale="en-GB")
    try:
        friend = friend_context.new_page()
        friend.goto(share_url)
        expect(friend.get_by_role("heading", name="An's wish list")).to_be_visible()
        expect(
            friend.get_by_role("link", name="The Tempest", exact=True)
        ).to_be_visible()
        expect(friend.get_by_role("button", name="Remove")).to_have_count(0)
        assert_accessible(friend)
        friend.get_by_role("link", name="Buy tickets The Tempest").click()
        expect(friend).to_have_url(f"{live_server.url}/voorstelling/{show.pk}/")
    finally:
        friend_context.close()
