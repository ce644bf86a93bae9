"""At the door on a phone: the scanner admits a ticket once and refuses it a second
time with the time and entrance of the first scan, online and after the network
was cut; offline scans are checked on the device and synced when it comes back;
two devices that both admitted a ticket offline get the conflict reported."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.checkin.models import Scan
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.sales.tickets.signing import ticket_payload
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def tonight(house, staff_factory):
    """Tonight's show, doors open, with a paid order of three tickets."""
    staff_factory(house, StaffRole.Role.TICKETING, username="deur")
    with house_scope(house):
        performance, tariff, _quota = on_sale_performance(house, size=50)
        starts = timezone.now() + timedelta(minutes=30)
        performance.starts_at, performance.ends_at = starts, starts + timedelta(hours=2)
        performance.doors_open_at = None
        performance.save()
        order = buy(house, performance, tariff, quantity=3)
        order_mark_paid(order=order)
        codes = [ticket_payload(ticket) for ticket in order.tickets.order_by("pk")]
    return performance, codes


def _log_in(page: Page) -> None:
    page.goto("/office/login/")
    page.get_by_label("Username").fill("deur")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _open_scanner(page: Page, performance, entrance: str) -> None:
    page.goto(f"/office/checkin/{performance.pk}/?entrance={entrance}")
    expect(page.locator("#scanner")).to_have_attribute("data-ready", "true")


def _scan(page: Page, code: str) -> None:
    page.get_by_label("Ticket code").fill(code)
    page.keyboard.press("Enter")


def _verdict(page: Page):
    return page.locator("#scan-result")


def _admitted(page: Page) -> None:
    expect(_verdict(page)).to_have_class(re.compile(r"\bscan-ok\b"))
    expect(_verdict(page)).to_contain_text("Admit")


def _refused(page: Page) -> None:
    expect(_verdict(page)).to_have_class(re.compile(r"\bscan-refused\b"))
    expect(_verdict(page)).to_contain_text("Do not admit")


def _altered(code: str) -> str:
    head, body, signature = code.split(".")
    flipped = "A" if signature[10] != "A" else "B"
    return ".".join([head, body, signature[:10] + flipped + signature[11:]])


def test_the_door_admits_once_online_and_offline(page: Page, tonight, house):
    performance, (first, second, third) = tonight
    _log_in(page)
    page.get_by_role("link", name="Check-in").click()
    page.get_by_role("link", name=performance.production.title["en"]).click()
    page.get_by_label("Entrance").fill("B")
    page.get_by_label("Entrance").dispatch_event("change")
    expect(page.locator("#scanner")).to_have_attribute("data-ready", "true")
    assert_accessible(page)

    _scan(page, first)
    _admitted(page)
    expect(_verdict(page)).to_contain_text("Valid ticket: welcome!")
    expect(page.locator("#attendance-admitted")).to_have_text("1")
    _scan(page, first)
    _refused(page)
    first_time = timezone.localtime().strftime("%H:")
    expect(_verdict(page)).to_contain_text(f"Already scanned at {first_time}")
    expect(_verdict(page)).to_contain_text("at entrance B")
    assert_accessible(page)

    page.context.set_offline(True)
    _scan(page, second)
    _admitted(page)
    expect(_verdict(page)).to_contain_text("without network")
    _scan(page, second)
    expect(_verdict(page)).to_contain_text("Already scanned at")
    _scan(page, first)
    expect(_verdict(page)).to_contain_text("Already scanned at")
    expect(_verdict(page)).to_contain_text("at entrance B")
    _scan(page, _altered(third))
    expect(_verdict(page)).to_contain_text("altered or forged")
    expect(page.locator("#scanner-status")).to_contain_text("4 scans waiting")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#scanner-status")).not_to_contain_text("waiting")
    _scan(page, second)  # online again: the server knows the offline admission
    expect(_verdict(page)).to_contain_text("Already scanned at")
    with house_scope(house):
        admitted = Scan.objects.filter(result="admitted").order_by("scanned_at")
        assert [(s.ticket.pk, s.offline, s.entrance) for s in admitted] == [
            (admitted[0].ticket.pk, False, "B"),
            (admitted[1].ticket.pk, True, "B"),
        ]
        assert Scan.objects.filter(reason="bad_signature").count() == 1


def test_two_phones_that_admitted_one_ticket_offline_see_the_conflict(
    browser, live_server, tonight, house
):
    performance, (first, _second, _third) = tonight
    phones = []
    for entrance in ("A", "C"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 360, "height": 740},
            locale="en-GB",
        )
        context.set_default_timeout(10_000)
        phone = context.new_page()
        _log_in(phone)
        _open_scanner(phone, performance, entrance)
        phones.append(phone)
    early, late = phones
    for phone in phones:
        phone.context.set_offline(True)

    _scan(early, first)
    expect(_verdict(early)).to_contain_text("without network")
    _scan(late, first)
    expect(_verdict(late)).to_contain_text("without network")
    _admitted(late)

    # The later scan reaches the server first; the earlier one still wins.
    late.context.set_offline(False)
    late.evaluate("window.dispatchEvent(new Event('online'))")
    expect(late.locator("#scanner-status")).not_to_contain_text("waiting")
    early.context.set_offline(False)
    early.evaluate("window.dispatchEvent(new Event('online'))")
    expect(early.locator("#scanner-status")).not_to_contain_text("waiting")
    expect(early.locator("#scan-conflicts")).to_contain_text("admitted twice")
    expect(early.locator("#scan-conflicts")).to_contain_text("entrance A")

    with house_scope(house):
        admission = Scan.objects.get(result="admitted")
        assert admission.entrance == "A"
        assert Scan.objects.filter(conflict=True).exists()
    for phone in phones:
        phone.context.close()
