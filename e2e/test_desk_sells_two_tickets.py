"""At the desk: two full-price tickets for cash in at most six actions once the
performance is chosen, counted as the clerk's clicks and typed fields."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.sales.models import Order
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Clerk:
    """Counts what the clerk does: each click, key press or filled field is one."""

    def __init__(self, page: Page):
        self.page, self.actions = page, 0

    def fill(self, locator, text):
        locator.fill(text)
        self.actions += 1

    def click(self, locator):
        locator.click()
        self.actions += 1


def test_two_full_price_tickets_for_cash_in_six_actions_or_fewer(
    page: Page, house, staff_factory
):
    staff_factory(house, StaffRole.Role.TICKETING, username="kassa")
    with house_scope(house):
        performance, tariff, _quota = on_sale_performance(
            house, size=100, price=Decimal("18.00")
        )
    page.goto("/office/login/")
    page.get_by_label("Username").fill("kassa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Box office").click()
    page.get_by_label("Find a performance").fill(performance.production.title["en"][:5])
    page.keyboard.press("Enter")
    page.get_by_role("link", name=performance.production.title["en"]).click()
    assert_accessible(page)

    # The performance is chosen: from here on every action counts.
    clerk = Clerk(page)
    count = page.get_by_label("Full price · € 18.00")
    expect(count).to_be_focused()  # the first count has the focus already
    clerk.fill(count, "2")
    expect(page.get_by_label("Cash", exact=True)).to_be_checked()  # the default
    clerk.fill(page.get_by_label("Cash received"), "50")
    clerk.click(page.get_by_role("button", name="Sell"))

    expect(page.get_by_role("heading", name="Sold: order")).to_be_visible()
    expect(page.get_by_text("€ 14.00")).to_be_visible()  # change to give
    assert_accessible(page)
    with page.expect_response(lambda r: "tickets.pdf" in r.url) as pdf:
        clerk.click(page.get_by_role("link", name="Print tickets (receipt printer)"))
    assert pdf.value.headers["content-type"] == "application/pdf"

    assert clerk.actions <= 6, clerk.actions
    with house_scope(house):
        order = Order.objects.get()
        assert (order.state, order.tickets.count(), order.total) == (
            "paid",
            2,
            Decimal("36.00"),
        )
