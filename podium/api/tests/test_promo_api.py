"""Promo codes over the API: apply, remove, hidden tariffs, problems."""

import json
from decimal import Decimal

import pytest

from podium.sales.models import Hold, Order, PromoCode
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_create
from podium.sales.tests.factories import TariffFactory, on_sale_performance
from podium.tenancy.permissions import Action

from .test_sales_api import _key

# Test bodies create codes and check rows of the house: inside its scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]


D = Decimal
PREFIX = "/api/v1"


@pytest.fixture
def sale(house):
    performance, tariff, _quota = on_sale_performance(house, size=10)
    hidden = TariffFactory(
        category=tariff.category, kind="student", price=D("8.00"), requires_code=True
    )
    basket = basket_create(house=house, channel="partner")
    return performance, tariff, hidden, basket, _key(house, [Action.SALES_SELL])


def _post(client, path, body, key):
    return client.post(PREFIX + path, json.dumps(body), "application/json", **key)


def test_apply_lowers_the_holds_and_delete_restores(client, house, sale):
    performance, tariff, _hidden, basket, key = sale
    promo_code_create(house=house, actor=None, code="API10", value=10)
    _post(
        client,
        f"/baskets/{basket.token}/holds",
        {"performance": performance.pk, "tariff": tariff.pk, "quantity": 2},
        key,
    )

    applied = _post(
        client, f"/baskets/{basket.token}/promo-code", {"code": "api10"}, key
    )

    assert applied.status_code == 200
    assert applied.json()["promo_code"]["code"] == "API10"
    assert [h["unit_price"] for h in applied.json()["holds"]] == ["18.00"]
    removed = client.delete(PREFIX + f"/baskets/{basket.token}/promo-code", **key)
    assert removed.status_code == 200
    assert removed.json()["promo_code"] is None
    assert [h["unit_price"] for h in removed.json()["holds"]] == ["20.00"]


@pytest.mark.parametrize(
    ("setup", "status", "code"),
    [
        ({}, 400, "promo_code_unknown"),
        ({"is_active": False}, 400, "promo_code_expired"),
        ({"max_uses": 0}, 409, "promo_code_used_up"),
    ],
)
def test_a_refused_code_is_a_problem(client, house, sale, setup, status, code):
    performance, tariff, _hidden, basket, key = sale
    if setup:
        promo_code_create(house=house, actor=None, code="PROB", value=10, **setup)
    _post(
        client,
        f"/baskets/{basket.token}/holds",
        {"performance": performance.pk, "tariff": tariff.pk, "quantity": 1},
        key,
    )

    response = _post(
        client, f"/baskets/{basket.token}/promo-code", {"code": "PROB"}, key
    )

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    basket.refresh_from_db()
    assert basket.promo_code_id is None
    assert Hold.objects.get(basket=basket).unit_price is None


def test_a_hidden_tariff_is_held_only_with_an_unlock_code(client, house, sale):
    performance, _tariff, hidden, basket, key = sale
    promo_code_create(house=house, actor=None, code="LEDEN", kind="unlock", value=0)
    hold = {"performance": performance.pk, "tariff": hidden.pk, "quantity": 1}
    listed = client.get(PREFIX + f"/performances?house={house.slug}").json()
    assert hidden.pk not in [t["id"] for p in listed for t in p["tariffs"]]

    refused = _post(client, f"/baskets/{basket.token}/holds", hold, key)
    assert refused.status_code == 400
    assert refused.json()["code"] == "tariff_unavailable"

    applied = _post(
        client, f"/baskets/{basket.token}/promo-code", {"code": "LEDEN"}, key
    )
    assert applied.json()["promo_code"]["unlocked_tariffs"] == [hidden.pk]
    assert _post(client, f"/baskets/{basket.token}/holds", hold, key).status_code == 201
    order = _post(
        client,
        "/orders",
        {"basket": basket.token, "buyer_name": "An", "buyer_email": "an@example.be"},
        key,
    )
    assert order.status_code == 201
    assert (order.json()["total"], order.json()["promo_code"]) == ("8.00", "LEDEN")
    assert PromoCode.objects.get(code="LEDEN").uses == 1
    assert Order.objects.get(code=order.json()["code"]).promo_code.code == "LEDEN"
