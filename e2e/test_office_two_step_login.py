"""A new house administrator sets up two-step verification at the first log-in, and
logs in with the password and a code from then on."""

import time

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.tenancy import totp
from podium.tenancy.models import StaffRole

from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page: Page):
    page.goto("/office/login/")
    page.get_by_label("Username").fill("beheer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_office_admin_sets_up_two_step_verification_then_logs_in_with_a_code(
    page: Page, house, staff_factory
):
    staff_factory(house, StaffRole.Role.HOUSE_ADMIN, username="beheer", totp=False)
    _log_in(page)

    expect(
        page.get_by_role("heading", name="Set up two-step verification")
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/office/orders/")  # any other page sends back to the set-up
    expect(
        page.get_by_role("heading", name="Set up two-step verification")
    ).to_be_visible()
    key = totp.secret_bytes(page.locator(".totp-secret").inner_text())
    page.get_by_label("Code").fill(totp.totp(key, time.time()))
    page.get_by_role("button", name="Switch on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("button", name="Log out").click()
    _log_in(page)
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(totp.totp(key, time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("navigation", name="Office")).to_be_visible()
