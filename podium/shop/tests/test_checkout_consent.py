"""Consents at checkout: two optional, unticked boxes, recorded with source "checkout"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from podium.customers.models import Consent, Customer, CustomerRelation
from podium.sales.models import Order
from podium.sales.tests.factories import on_sale_performance
from podium.shop.session import SESSION_CUSTOMER_KEY

pytestmark = pytest.mark.django_db
BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


def _basket(client, house):
    performance, tariff, _quota = on_sale_performance(house, price=Decimal("0.00"))
    client.post(
        reverse("shop:performance", args=[performance.pk]),
        {"action": "tickets", f"tariff_{tariff.pk}": "1"},
    )


def test_the_boxes_are_offered_unticked(client, house, scoped):
    _basket(client, house)

    html = client.get(reverse("shop:checkout", args=[house.slug])).content.decode()

    assert 'name="consent_newsletter"' in html
    assert 'name="consent_suggestions"' in html
    assert "checked" not in html.split('name="consent_newsletter"')[0][-200:]
    assert house.name in html


def test_a_guest_who_ticks_the_newsletter_gets_a_customer_and_a_consent(
    client, house, scoped
):
    _basket(client, house)

    client.post(
        reverse("shop:checkout", args=[house.slug]),
        {**BUYER, "consent_newsletter": "on"},
    )

    [order] = Order.objects.filter(house=house)
    customer = Customer.objects.get(email="an@example.be")
    [consent] = Consent.objects.filter(customer=customer)
    assert order.customer == customer
    assert CustomerRelation.objects.get(customer=customer).source == "order"
    assert (consent.house, consent.purpose, consent.granted, consent.source) == (
        house,
        "newsletter",
        True,
        "checkout",
    )


def test_a_guest_without_ticks_stays_a_plain_guest(client, house, scoped):
    _basket(client, house)

    client.post(reverse("shop:checkout", args=[house.slug]), BUYER)

    [order] = Order.objects.filter(house=house)
    assert order.customer is None
    assert not Customer.objects.exists()
    assert not Consent.objects.exists()


def test_a_signed_in_customer_records_both_choices(client, house, cluster, scoped):
    customer = Customer.objects.create(
        cluster=cluster, name="Mira Claes", email="mira@example.be"
    )
    session = client.session
    session[SESSION_CUSTOMER_KEY] = customer.pk
    session.save()
    _basket(client, house)

    client.post(
        reverse("shop:checkout", args=[house.slug]),
        {
            "buyer_name": "Mira Claes",
            "buyer_email": "mira@example.be",
            "consent_newsletter": "on",
            "consent_suggestions": "on",
        },
    )

    purposes = set(
        Consent.objects.filter(customer=customer, granted=True).values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {"newsletter", "suggestions"}
    assert Order.objects.get(house=house).customer == customer
