"""GDPR in sales: a house's export, the erasure that keeps the accounts, and the
retention that respects every house that knows the customer."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from podium.core.models import AuditEntry
from podium.customers.accounts import consent_set
from podium.customers.models import (
    Consent,
    Customer,
    CustomerNote,
    CustomerRelation,
    PrivacySettings,
)
from podium.customers.tests.factories import customer_make
from podium.sales.customer_data import (
    customer_house_erase,
    customer_house_export,
    customers_retention_apply,
)
from podium.sales.models import Order, Ticket
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.scoping import platform_scope

pytestmark = pytest.mark.django_db
IN_FOUR_YEARS = timezone.now() + timedelta(days=4 * 366)


def _order(house, customer):
    performance, tariff, _quota = on_sale_performance(house)
    basket = basket_create(house=house)
    basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=2,
    )
    return order_place(
        house=house,
        actor=None,
        basket=basket,
        buyer_name=customer.name,
        buyer_email=customer.email,
        customer=customer,
    )


@pytest.fixture
def mira(house, other_house):
    """A customer both houses know: an order and a note at each, a consent at A."""
    customer = customer_make(house, name="Mira Claes", email="mira@example.be")
    _order(house, customer)
    _order(other_house, customer)
    CustomerNote.objects.create(house=house, customer=customer, text="Rolstoel")
    CustomerNote.objects.create(house=other_house, customer=customer, text="Geheim B")
    consent_set(
        customer=customer,
        house=house,
        purpose="newsletter",
        granted=True,
        source="checkout",
    )
    consent_set(
        customer=customer,
        house=other_house,
        purpose="suggestions",
        granted=True,
        source="account page",
    )
    return customer


def test_the_house_export_holds_only_this_houses_part(house, mira):
    with platform_scope():
        data = customer_house_export(house=house, customer=mira)

        assert data["profile"]["email"] == "mira@example.be"
        assert [o["house"] for o in data["orders"]] == [house.name]
        assert len(data["orders"][0]["tickets"]) == 2
        assert [n["text"] for n in data["notes"]] == ["Rolstoel"]
        assert [c["purpose"] for c in data["consents"]] == ["newsletter"]
        assert "Geheim B" not in str(data) and "wishlist" not in data


def test_erasure_keeps_the_amounts_and_removes_the_person(house, other_house, mira):
    with platform_scope():
        totals = dict(Order.objects.values_list("pk", "total"))

        customer_house_erase(house=house, actor=None, customer=mira)

        mira.refresh_from_db()
        assert (mira.name, mira.email) == ("verwijderde klant", "")
        orders = Order.objects.filter(pk__in=totals)
        assert dict(orders.values_list("pk", "total")) == totals
        assert set(orders.values_list("buyer_name", "buyer_email")) == {("", "")}
        assert all(t.vat_amount > Decimal("0") for t in Ticket.objects.all())
        assert not Consent.objects.filter(customer=mira).exists()
        assert not CustomerRelation.objects.filter(customer=mira).exists()
        # Both houses that knew her see the erasure in their own log.
        logged = AuditEntry.objects.filter(action="podium.customers.customer.erased")
        assert set(logged.values_list("house_id", flat=True)) == {
            house.pk,
            other_house.pk,
        }
        assert "mira" not in str(
            list(AuditEntry.objects.values_list("data", flat=True))
        )


def _retention(house, years):
    PrivacySettings.objects.update_or_create(
        house=house, defaults={"customer_retention_years": years}
    )


def test_retention_waits_for_every_house_that_knows_the_customer(
    house, other_house, mira
):
    with platform_scope():
        _retention(house, 3)  # B keeps its customers

        assert customers_retention_apply(now=IN_FOUR_YEARS).due == []

        _retention(other_house, 5)  # B keeps them five years
        assert customers_retention_apply(now=IN_FOUR_YEARS).due == []

        _retention(other_house, 3)
        assert customers_retention_apply(now=IN_FOUR_YEARS).due == [mira.pk]
        mira.refresh_from_db()
        assert mira.email == ""


def test_retention_spares_the_recently_active(house, other_house, mira):
    with platform_scope():
        _retention(house, 3)
        _retention(other_house, 3)

        assert (
            customers_retention_apply(now=timezone.now() + timedelta(days=700)).due
            == []
        )
        Customer.objects.filter(pk=mira.pk).update(last_login=IN_FOUR_YEARS)
        assert customers_retention_apply(now=IN_FOUR_YEARS).due == []


def test_a_dry_run_changes_nothing(house, other_house, mira):
    with platform_scope():
        _retention(house, 3)
        _retention(other_house, 3)
        entries = AuditEntry.objects.count()

        result = customers_retention_apply(now=IN_FOUR_YEARS, dry_run=True)

        mira.refresh_from_db()
        assert result.due == [mira.pk] and result.dry_run
        assert mira.email == "mira@example.be"
        assert AuditEntry.objects.count() == entries


def test_the_command_runs_the_same_rule(house, mira, capsys):
    with platform_scope():
        _retention(house, 1)

        call_command("customers_retention", "--dry-run")

        assert "Would anonymise 0 customers" in capsys.readouterr().out
