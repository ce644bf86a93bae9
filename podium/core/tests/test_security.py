"""Web security of every page: the Content-Security-Policy, framing, CSRF, cookies and
HSTS. The shop and office are walked route by route (urlwalk), so new pages are
covered without being listed here."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from podium.core.security import (
    content_security_policy,
    default_policy,
    parse_policy,
)

from .urlwalk import routes

pytestmark = pytest.mark.django_db

# A role by its value: podium.core may not import podium.tenancy (import-linter).
HOUSE_ADMIN = "house_admin"
WIDGET_ROUTES = {"shop:widget-agenda", "shop:widget-button"}
# Mollie calls its webhook from its own servers, without a session or a token; the
# webhook only makes us fetch the payment's state from Mollie (never trusts the body).
CSRF_EXEMPT = {"shop:payment-mollie-webhook"}


@pytest.fixture
def staff_client(client, house, staff_factory):
    client.force_login(staff_factory(house, HOUSE_ADMIN))
    return client


def policy_of(response) -> dict[str, list[str]]:
    return parse_policy(response.headers["Content-Security-Policy"])


# --- The policy itself -------------------------------------------------------------


def test_the_policy_allows_no_inline_script_and_no_foreign_sources(settings):
    settings.PODIUM_CSP_FORM_ACTION = ["https://www.mollie.com"]
    settings.MOLLIE_API_URL = "https://api.mollie.com/v2"

    policy = parse_policy(content_security_policy())

    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://www.mollie.com", "https://api.mollie.com"],
        "frame-ancestors": ["'none'"],
    }


def test_a_directive_the_view_set_wins_and_the_rest_is_filled_in():
    policy = parse_policy(content_security_policy("frame-ancestors *"))

    assert policy["frame-ancestors"] == ["*"]
    assert policy["script-src"] == ["'self'"]
    assert set(policy) == set(default_policy())


# --- Every page --------------------------------------------------------------------


@pytest.mark.parametrize("route", routes("shop") + routes("office"), ids=str)
def test_every_page_refuses_framing_and_inline_script(staff_client, route):
    response = staff_client.get(route.path)

    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"], route
    if route.name in WIDGET_ROUTES and response.status_code == 200:
        assert policy["frame-ancestors"] == ["*"]
        assert "X-Frame-Options" not in response.headers
    else:
        assert policy["frame-ancestors"] == ["'none'"], route
        assert response.headers["X-Frame-Options"] == "DENY", route


def test_the_api_answers_carry_the_policy_too(client, house):
    response = client.get("/api/v1/openapi.json")

    assert policy_of(response)["frame-ancestors"] == ["'none'"]


def test_the_api_docs_load_their_scripts_from_our_own_origin(client, house):
    html = client.get("/api/v1/docs").content.decode()

    assert "cdn.jsdelivr.net" not in html
    assert "/static/ninja/swagger-ui-bundle.js" in html


# --- CSRF --------------------------------------------------------------------------


def post_routes() -> list:
    return [
        route
        for route in routes("shop") + routes("office")
        if route.name not in CSRF_EXEMPT
    ]


@pytest.mark.parametrize("route", post_routes(), ids=str)
def test_a_post_without_a_csrf_token_is_refused(house, staff_factory, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_factory(house, HOUSE_ADMIN))
    client.get(reverse("office:home"))  # the CSRF cookie, but no token sent back

    form = client.post(route.path, {"anything": "1"})
    json = client.post(route.path, "{}", content_type="application/json")

    assert (form.status_code, json.status_code) == (403, 403), route


def test_the_scanner_json_endpoints_accept_the_header_token(house, staff_factory):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_factory(house, HOUSE_ADMIN))
    client.get(reverse("office:home"))
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    url = reverse("office:checkin-scan", args=[999999])

    without = client.post(url, "{}", content_type="application/json")
    with_header = client.post(
        url, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert without.status_code == 403
    assert with_header.status_code != 403  # past CSRF: the view answers (not found)


def test_the_language_switch_needs_a_token_too(house):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "fr"})

    assert response.status_code == 403


# --- Cookies and transport ---------------------------------------------------------


def test_the_cookies_are_httponly_and_samesite():
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.CSRF_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert django_settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_a_secure_response_carries_hsts_and_the_other_headers(client, house, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000

    response = client.get(reverse("shop:home"), secure=True)

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"PODIUM_DEBUG": "true"}, 0),
        ({"PODIUM_DEBUG": "false", "PODIUM_SECRET_KEY": "k" * 50}, 31_536_000),
        (
            {
                "PODIUM_DEBUG": "false",
                "PODIUM_SECRET_KEY": "k" * 50,
                "PODIUM_HSTS_SECONDS": "300",
            },
            300,
        ),
    ],
    ids=["dev", "production", "production-own-value"],
)
def test_hsts_and_secure_cookies_in_the_production_profile(
    monkeypatch, environment, expected
):
    import runpy

    for name in ("PODIUM_DEBUG", "PODIUM_HSTS_SECONDS", "PODIUM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    loaded = runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))

    assert loaded["SECURE_HSTS_SECONDS"] == expected
    production = environment["PODIUM_DEBUG"] == "false"
    assert (loaded["SESSION_COOKIE_SECURE"], loaded["CSRF_COOKIE_SECURE"]) == (
        production,
        production,
    )
