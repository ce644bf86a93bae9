"""Garbage into the shop's forms (tickets, checkout, account): the form again (400)
with a clear Dutch message on the page, and nothing held, placed, created or
changed."""

import html

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from podium.customers.models import Customer
from podium.customers.tests.factories import CustomerFactory
from podium.sales.models import Hold, Order
from podium.sales.tests.factories import SalesSettingsFactory, on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.shop.session import SESSION_CUSTOMER_KEY
from podium.tenancy.scoping import cluster_scope

pytestmark = pytest.mark.django_db

LONG = "x" * 5000
PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def scoped(cluster, house):
    """The test body reads the cluster's rows, as the shop does."""
    with cluster_scope(cluster):
        yield cluster


@pytest.fixture
def on_sale(house, mollie_server):
    SalesSettingsFactory(house=house, mollie_api_key=API_KEY)
    performance, tariff, _quota = on_sale_performance(house, size=4)
    return performance, tariff


@pytest.fixture
def an(cluster):
    return CustomerFactory(
        cluster=cluster,
        name="An Peeters",
        email="an@example.be",
        email_verified=True,
        password=make_password(PASSWORD),
    )


def _messages(response) -> list[str]:
    found = []
    for context in response.context or []:
        for layer in getattr(context, "dicts", [context]):
            for item in layer.values() if isinstance(layer, dict) else []:
                errors = getattr(item, "errors", None)
                if isinstance(errors, dict):
                    found += [str(e) for msgs in errors.values() for e in msgs]
    found += [str(m) for m in (response.context or {}).get("messages", [])]
    return list(dict.fromkeys(found))


def _assert_clear(response, fragment: str) -> None:
    # The shop answers the form again with 400 (the office with 200).
    assert response.status_code in (200, 400), response.get("Location")
    page = html.unescape(response.content.decode())
    messages = _messages(response)
    assert messages, "no message on the page"
    assert all(message in page for message in messages)
    assert fragment.lower() in " ".join(messages).lower(), messages


def _holds(house) -> int:
    return Hold.objects.filter(house=house, state=Hold.State.HELD).count()


@pytest.mark.parametrize(
    ("count", "fragment"),
    [("-1", "minstens 0"), ("veel", "geheel getal"), ("100000", "")],
)
def test_ticket_counts_that_make_no_sense_hold_nothing(
    client, house, on_sale, count, fragment
):
    performance, tariff = on_sale

    response = client.post(
        reverse("shop:performance", args=[performance.pk]),
        {"action": "tickets", f"tariff_{tariff.pk}": count},
    )

    _assert_clear(response, fragment)
    assert _holds(house) == 0


@pytest.mark.parametrize(
    ("buyer", "fragment"),
    [
        ({}, "verplicht"),
        ({"buyer_name": LONG, "buyer_email": "an@example.be"}, "niet meer dan"),
        ({"buyer_name": "An", "buyer_email": "an@@example"}, "e-mailadres"),
        ({"buyer_name": "An", "buyer_email": LONG + "@example.be"}, ""),
    ],
)
def test_checkout_with_bad_buyer_details_places_nothing(
    client, house, on_sale, buyer, fragment
):
    performance, tariff = on_sale
    client.post(
        reverse("shop:performance", args=[performance.pk]),
        {"action": "tickets", f"tariff_{tariff.pk}": "1"},
    )
    assert _holds(house) == 1

    response = client.post(reverse("shop:checkout", args=[house.slug]), buyer)

    _assert_clear(response, fragment)
    assert not Order.objects.filter(house=house).exists()
    assert _holds(house) == 1


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"name": "", "email": "", "password": ""}, "verplicht"),
        ({"name": "Bert", "email": "geen-adres", "password": PASSWORD}, "e-mailadres"),
        ({"name": LONG, "email": "bert@example.be", "password": PASSWORD}, ""),
        ({"name": "Bert", "email": "bert@example.be", "password": "kort"}, ""),
    ],
)
def test_signing_up_with_bad_input_creates_no_customer(client, house, data, fragment):
    response = client.post(reverse("shop:account-sign-up"), data)

    _assert_clear(response, fragment)
    assert not Customer.objects.exclude(email="an@example.be").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "", "password": ""},
        {"email": "geen-adres", "password": "x"},
        {"email": LONG, "password": "x"},
    ],
)
def test_signing_in_with_bad_input_says_so(client, house, data):
    response = client.post(
        reverse("shop:account-sign-in"), {"action": "password", **data}
    )

    _assert_clear(response, "")
    assert SESSION_CUSTOMER_KEY not in client.session


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"action": "profile", "name": "", "phone": ""}, "verplicht"),
        ({"action": "profile", "name": LONG, "phone": ""}, "niet meer dan"),
        ({"action": "profile", "name": "An", "phone": LONG}, "niet meer dan"),
        ({"action": "email", "change-email": "geen-adres"}, "e-mailadres"),
        (
            {
                "action": "password",
                "current_password": "fout",
                "new_password": PASSWORD + "!",
            },
            "",
        ),
    ],
)
def test_my_data_with_bad_input_changes_nothing(client, house, an, data, fragment):
    session = client.session
    session[SESSION_CUSTOMER_KEY] = an.pk
    session.save()

    response = client.post(reverse("shop:account-data"), data)

    _assert_clear(response, fragment)
    an_after = Customer.objects.get(pk=an.pk)
    assert (an_after.name, an_after.email, an_after.phone, an_after.password) == (
        an.name,
        an.email,
        an.phone,
        an.password,
    )
    assert mail.outbox == []
