"""The office's promo code pages: create, edit, deactivate, bad input."""

from decimal import Decimal

import pytest
from django.urls import reverse

from podium.sales.models import PromoCode
from podium.sales.promo_configuration import promo_code_create
from podium.tenancy.scoping import house_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, house, staff_factory):
    client.force_login(staff_factory(house, "ticketing"))
    return client


def _codes(house):
    with house_scope(house):
        return list(PromoCode.objects.values_list("code", "kind", "value", "is_active"))


def test_create_normalises_the_code_and_lists_it(officer, house):
    response = officer.post(
        reverse("office:promo-code-create"),
        {"code": " zomer-10 ", "kind": "percent", "value": "10", "is_active": "on"},
    )

    assert response.status_code == 302
    assert [c[:2] for c in _codes(house)] == [("ZOMER-10", "percent")]
    page = officer.get(reverse("office:promo-code-list")).content.decode()
    assert "ZOMER-10" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "zo mer"}, "code"),
        ({"code": "été"}, "code"),
        ({"code": "ab"}, "code"),
        ({"value": "100.5"}, "value"),
        ({"value": "-3", "kind": "amount"}, "value"),
        ({"value": "tien"}, "value"),
        ({"max_uses": "-1"}, "max_uses"),
        ({"max_per_order": "0"}, "max_per_order"),
        ({"performances": ["999999"]}, "performances"),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(officer, house, data, field):
    body = {"code": "GOED", "kind": "percent", "value": "10", **data}

    response = officer.post(reverse("office:promo-code-create"), body)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _codes(house) == []


def test_a_duplicate_code_is_a_field_error(officer, house):
    with house_scope(house):
        promo_code_create(house=house, actor=None, code="DUBBEL", value=5)

    response = officer.post(
        reverse("office:promo-code-create"),
        {"code": "dubbel", "kind": "amount", "value": "3"},
    )

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert len(_codes(house)) == 1


def test_edit_and_deactivate(officer, house):
    with house_scope(house):
        code = promo_code_create(house=house, actor=None, code="WIJZIG", value=5)

    officer.post(
        reverse("office:promo-code-edit", args=[code.pk]),
        {"code": "WIJZIG", "kind": "amount", "value": "2.50", "is_active": "on"},
    )
    officer.post(reverse("office:promo-code-deactivate", args=[code.pk]))

    assert _codes(house)[0][1:] == (
        "amount",
        Decimal("2.50"),
        False,
    )
