"""Schemathesis against the API's own OpenAPI schema: no server error, and every
answer (status code, content type, body) is one the schema declares.

The schema comes from the ninja API object; requests go through the WSGI app on the
test database, with a key of a seeded house that has every scope (and without a key
for the public reads). Both valid (positive) and invalid (negative) inputs are sent.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_scopes import scopes_disabled
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from podium.api.urls import api
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.permissions import Action
from podium.tenancy.services import api_key_create

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """The WSGI app closes the database connection after each request, as in
    production; the test database lives in this test's transaction, so keep it open
    (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(house):
    """A key with every scope for a house with something to sell, hold and scan."""
    with scopes_disabled():
        performance, tariff, _quota = on_sale_performance(house, size=50)
        basket = basket_create(house=house)
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=1,
        )
        buy(house, performance, tariff)
        order_mark_paid(order=buy(house, performance, tariff, quantity=2))
        return api_key_create(
            house=house, actor=None, name="Schemathesis", scopes=list(Action.values)
        )[1]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_keeps_its_schema(case, api_key, settings, keep_connection):
    # The rate limits have their own tests; here they would only cut the run short.
    settings.PODIUM_API_RATE_PER_KEY = settings.PODIUM_API_RATE_PER_IP = ""
    headers = {}
    if case.operation.definition.raw.get("security"):
        headers["Authorization"] = f"Bearer {api_key}"
    case.call_and_validate(headers=headers, checks=CHECKS)


NUL = "a\x00b"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", f"/api/v1/performances?house={NUL}", None),
        ("get", f"/api/v1/productions?house={NUL}", None),
        ("get", f"/api/v1/baskets/{NUL}", None),
        ("get", f"/api/v1/orders/{NUL}", None),
        (
            "post",
            "/api/v1/orders",
            {"basket": NUL, "buyer_name": "A", "buyer_email": "a"},
        ),
        ("post", "/api/v1/tickets/verify", {"payload": NUL}),
        ("post", "/api/v1/checkin/scan", {"performance_id": 1, "code": NUL}),
    ],
)
def test_a_nul_byte_is_invalid_input_not_a_server_error(
    client, api_key, method, path, body
):
    """Found by schemathesis on PostgreSQL, which cannot store or compare NUL."""
    headers = (
        {"HTTP_AUTHORIZATION": f"Bearer {api_key}"} if "/api/v1/p" not in path else {}
    )
    if body is None:
        response = getattr(client, method)(path, **headers)
    else:
        response = client.post(path, json.dumps(body), "application/json", **headers)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_input"
