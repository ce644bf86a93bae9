"""A guest buys general-admission tickets in three steps: the tickets on the
performance page, their details and payment (through our local Mollie), the
confirmation; on a phone, with the keyboard only, and in French. A sold-out
performance offers other dates and similar shows of the cluster's other houses."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Order, Quota, SalesSettings
from podium.sales.tests.factories import QuotaFactory, on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.tenancy.scoping import house_scope

from .conftest import PHONE
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def show(house, settings, live_server, mollie_server):
    """A general-admission show at 15 EUR a ticket, paid through the local Mollie."""
    settings.PODIUM_PUBLIC_URL = live_server.url  # where Mollie sends its webhook
    with house_scope(house):
        performance, _tariff, _quota = on_sale_performance(
            house, size=100, price=Decimal("15.00")
        )
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
    return performance


def count_navigations(page: Page) -> list[str]:
    """The documents the tab goes on to load from now on (redirects not counted)."""
    seen: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: seen.append(frame.url) if frame == page.main_frame else None,
    )
    return seen


def the_order(house) -> Order:
    with house_scope(house):
        return Order.objects.get()


def test_a_guest_on_a_phone_buys_two_tickets_in_three_steps(
    page: Page, house, show, mailoutbox
):
    # Given a guest on a phone on the performance page
    assert page.viewport_size == PHONE
    page.goto(f"/voorstelling/{show.pk}/")
    assert_accessible(page)
    steps = count_navigations(page)

    # When they choose two tickets, give their name and e-mail, and pay
    page.locator("input.count").first.fill("2")
    page.get_by_role("button", name="To the basket").click()
    expect(page.get_by_role("heading", name="Your basket")).to_be_visible()
    assert_accessible(page)
    form = page.locator("form.buyer")
    # Name and e-mail, no more; and two optional consent boxes, never ticked
    assert form.locator("input:visible:not([type=checkbox])").count() == 2
    assert form.locator("input[type=checkbox]:visible:not(:checked)").count() == 2
    page.get_by_label("Your name").fill("Lena Maes")
    page.get_by_label("Your e-mail address").fill("lena@example.be")
    page.get_by_role("button", name=re.compile(r"^Pay € 30")).click()
    page.get_by_role("link", name="paid").click()  # the local Mollie checkout

    # Then the confirmation comes at the third page, paid, with the PDF offered
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    assert len(steps) == 3, steps  # checkout, payment, confirmation
    assert "/payments/return/" in steps[-1]
    expect(
        page.get_by_text("Your tickets are on their way to your e-mail address")
    ).to_be_visible()
    assert_accessible(page)
    download = page.get_by_role("link", name="Download your tickets (PDF)")
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # And the e-mail with the tickets PDF has arrived
    order = the_order(house)
    assert (order.state, order.total, order.buyer_email) == (
        "paid",
        Decimal("30.00"),
        "lena@example.be",
    )
    [mail] = mailoutbox
    assert mail.to == ["Lena Maes <lena@example.be>"]
    names = [attachment[0] for attachment in mail.attachments]
    assert f"tickets-{order.code}.pdf" in names


def _tab_to(page: Page, test: str, limit: int = 60) -> None:
    """Press Tab until `test` (a JS expression on `el`) holds for the focus."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {test})(document.activeElement)"):
            return
    pytest.fail(f"nothing matching {test} is reachable with Tab")


def test_a_guest_buys_with_the_keyboard_only(page: Page, house, show):
    page.goto(f"/voorstelling/{show.pk}/")

    _tab_to(page, "el.classList.contains('count')")
    page.keyboard.type("2")
    _tab_to(
        page, "el.tagName === 'BUTTON' && el.form && el.form.querySelector('.count')"
    )
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your basket")).to_be_visible()
    _tab_to(page, "el.id === 'id_buyer_name'")
    page.keyboard.type("Noor Janssens")
    page.keyboard.press("Tab")
    page.keyboard.type("noor@example.be")
    _tab_to(page, "el.type === 'submit' && el.textContent.startsWith('Pay')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("link", name="paid")).to_be_visible()  # local Mollie
    _tab_to(page, "el.textContent === 'paid'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    assert the_order(house).state == "paid"


def test_a_guest_buys_in_french(page: Page, house, show):
    page.goto(f"/voorstelling/{show.pk}/")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Billets")).to_be_visible()

    page.locator("input.count").first.fill("1")
    page.get_by_role("button", name="Vers le panier").click()

    expect(page.get_by_role("heading", name="Votre panier")).to_be_visible()
    expect(page.get_by_role("heading", name="Vos coordonnées")).to_be_visible()
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_attached()
    page.get_by_label("Votre nom").fill("Camille Dubois")
    page.get_by_label("Votre adresse e-mail").fill("camille@example.be")
    page.locator("form.buyer button[type=submit]").click()
    page.get_by_role("link", name="paid").click()

    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    expect(
        page.get_by_text("Merci ! Vos billets sont en route vers votre adresse e-mail.")
    ).to_be_visible()
    assert the_order(house).locale == "fr"


def test_a_sold_out_performance_offers_other_dates_and_similar_shows(
    page: Page, house, other_house, show
):
    with house_scope(house):
        Quota.objects.filter(performance=show).update(used=100)
        other_date = PerformanceFactory(
            house=house, production=show.production, hall=show.hall
        )
        QuotaFactory(performance=other_date, size=50)
    with house_scope(other_house):
        similar, _tariff, _quota = on_sale_performance(other_house)
        similar_title = similar.production.title["en"]

    page.goto(f"/voorstelling/{show.pk}/")

    expect(page.get_by_text("This performance is sold out.")).to_be_visible()
    expect(page.get_by_role("button", name="To the basket")).to_have_count(0)
    dates = page.get_by_role("region", name="Other dates").get_by_role("link")
    expect(dates).to_have_count(1)
    assert dates.get_attribute("href") == f"/voorstelling/{other_date.pk}/"
    elsewhere = page.get_by_role("region", name="Similar shows in other houses")
    expect(elsewhere).to_contain_text("Huis B")
    assert_accessible(page)

    elsewhere.get_by_role("link", name=similar_title).click()
    expect(page.get_by_role("heading", name=similar_title, level=1)).to_be_visible()
    expect(page.get_by_role("button", name="To the basket")).to_be_visible()
