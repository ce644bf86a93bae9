"""The Content-Security-Policy breaks nothing: the main shop and office pages, the
seat plans, the scanner and the way to the payment provider run in Chromium without
a single violation being reported."""

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    mollie_server_fixture,
)
from podium.tenancy.models import StaffRole

from .test_visitor_buys_two_seats import grote_zaal_show  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Reports every violation to the console, where the test collects it; Chromium also
# logs "Refused to … because it violates the following Content Security Policy".
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def watch_violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            seen.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            or "CSP violation" in message.text
            else None
        ),
    )
    return seen


def visit(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response.status < 400, (path, response.status)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")


def test_the_shop_runs_without_csp_violations(
    page: Page,
    house,
    grote_zaal_show,  # noqa: F811
):
    violations = watch_violations(page)
    production = grote_zaal_show.production

    for path in [
        "/",
        "/agenda/",
        f"/productie/{production.pk}/",
        f"/voorstelling/{grote_zaal_show.pk}/",
    ]:
        visit(page, path)
    expect(page.locator(".seat").first).to_be_visible()  # the plan's script ran

    # Two seats into the basket, then on to the (local) Mollie checkout: the form's
    # redirect to the payment provider is allowed by form-action.
    seats = page.locator('.seat[aria-checked="false"]')
    seats.nth(0).click()
    seats.nth(1).click()
    page.locator("#pick-form button[type=submit]").click()
    expect(page.locator("form.buyer")).to_be_visible()
    page.locator("form.buyer input[type=text]:visible").first.fill("Lena Maes")
    page.locator("form.buyer input[type=email]:visible").first.fill("lena@example.be")
    page.locator("form.buyer button[type=submit]").click()
    expect(page.get_by_role("link", name="paid")).to_be_visible()

    assert violations == []


def test_the_office_runs_without_csp_violations(
    page: Page,
    house,
    staff_factory,
    grote_zaal_show,  # noqa: F811
):
    staff_factory(house, StaffRole.Role.TICKETING, username="csp")
    violations = watch_violations(page)
    page.goto("/office/login/")
    page.get_by_label("Username").fill("csp")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Box office")).to_be_visible()

    for path in [
        "/office/",
        f"/office/desk/{grote_zaal_show.pk}/",
        f"/office/checkin/{grote_zaal_show.pk}/",
        "/api/v1/docs",
    ]:
        visit(page, path)
        if path.startswith("/office/desk/"):
            expect(page.locator(".seat").first).to_be_visible()
        if path.startswith("/office/checkin/"):
            expect(page.locator("#scanner")).to_have_attribute("data-ready", "true")
    expect(page.locator("#swagger-ui .info")).to_be_visible()  # the API docs ran

    assert violations == []
