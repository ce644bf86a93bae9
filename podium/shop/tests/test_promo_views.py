"""Promo codes in the shop: the checkout's code field, and hidden tariffs that a link
with ?code= (or the basket's code) shows and sells. Requests speak Dutch."""

from decimal import Decimal

import pytest

from podium.sales.models import Hold, PromoCode
from podium.sales.promo_configuration import promo_code_create
from podium.sales.tests.factories import TariffFactory, on_sale_performance

from .test_buy_views import basket_of, checkout_url, nl, page_url

# Test bodies create codes and check rows of the house: inside its scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]


D = Decimal


@pytest.fixture
def show(house):
    performance, tariff, _quota = on_sale_performance(house, size=10)
    hidden = TariffFactory(
        category=tariff.category,
        kind="student",
        name={"nl": "Vriendenprijs", "fr": "Amis", "en": "Friends"},
        price=D("8.00"),
        requires_code=True,
    )
    return performance, tariff, hidden


def _in_basket(client, performance, tariff, count=2):
    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{tariff.pk}": count}
    )
    assert response.status_code == 302


def _promo_url(house):
    return checkout_url(house).rstrip("/") + "/kortingscode/"


def test_the_checkout_applies_and_removes_a_code(client, house, show):
    performance, tariff, _hidden = show
    promo_code_create(house=house, actor=None, code="ZOMER", kind="percent", value=25)
    _in_basket(client, performance, tariff)

    response = client.post(_promo_url(house), {"action": "apply", "code": "zomer"})

    assert response.status_code == 302
    page = client.get(checkout_url(house)).content.decode()
    assert nl("The code %(code)s was applied.", code="ZOMER") in page
    assert "€ 15,00" in page and "€ 30,00" in page  # each ticket, the total
    assert "€ 10,00" in page  # the saving
    response = client.post(_promo_url(house), {"action": "remove"}, follow=True)
    page = response.content.decode()
    assert nl("The code was removed.") in page
    assert "€ 40,00" in page
    assert basket_of(client, house).promo_code_id is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("BESTAATNIET", "This code is not known. Check it and try again."),
        ("OUD", "This code is no longer valid."),
    ],
)
def test_a_bad_code_says_why_in_dutch_and_changes_nothing(
    client, house, show, code, message
):
    performance, tariff, _hidden = show
    promo_code_create(house=house, actor=None, code="OUD", value=10, is_active=False)
    _in_basket(client, performance, tariff)

    response = client.post(_promo_url(house), {"code": code}, follow=True)

    assert nl(message) in response.content.decode()
    basket = basket_of(client, house)
    assert basket.promo_code_id is None
    assert list(Hold.objects.filter(basket=basket).values_list("unit_price")) == [
        (None,)
    ]


def test_the_code_field_needs_the_csrf_token(house, show):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(_promo_url(house), {"code": "X"})

    assert response.status_code == 403


def test_a_hidden_tariff_shows_only_with_its_code(client, house, show):
    performance, _tariff, hidden = show
    promo_code_create(house=house, actor=None, code="VRIENDEN", kind="unlock", value=0)
    field = f'name="tariff_{hidden.pk}"'

    assert field not in client.get(page_url(performance)).content.decode()
    assert (
        field in client.get(page_url(performance) + "?code=vrienden").content.decode()
    )
    wrong = client.get(page_url(performance) + "?code=NEE").content.decode()
    assert field not in wrong
    assert nl("This code is not known. Check it and try again.") in wrong


def test_a_hidden_tariff_sells_with_the_code_and_not_without(client, house, show):
    performance, _tariff, hidden = show
    promo_code_create(house=house, actor=None, code="VRIENDEN", kind="unlock", value=0)

    refused = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{hidden.pk}": "1"}
    )
    assert refused.status_code == 200
    assert not Hold.objects.filter(tariff=hidden).exists()

    response = client.post(
        page_url(performance),
        {"action": "tickets", f"tariff_{hidden.pk}": "2", "code": "VRIENDEN"},
    )
    assert response.status_code == 302
    basket = basket_of(client, house)
    assert basket.promo_code.code == "VRIENDEN"
    assert Hold.objects.get(basket=basket).tariff_id == hidden.pk
    # The basket's code keeps the hidden tariff on the page without the link.
    assert (
        f'name="tariff_{hidden.pk}"'
        in client.get(page_url(performance)).content.decode()
    )


def test_a_discount_link_applies_its_code_once_tickets_are_in(client, house, show):
    performance, tariff, _hidden = show
    promo_code_create(house=house, actor=None, code="LINK", kind="amount", value=5)

    client.post(
        page_url(performance),
        {"action": "tickets", f"tariff_{tariff.pk}": "1", "code": "link"},
    )

    basket = basket_of(client, house)
    assert basket.promo_code == PromoCode.objects.get(code="LINK")
    assert Hold.objects.get(basket=basket).unit_price == D("15.00")
