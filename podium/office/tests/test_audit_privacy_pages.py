"""The audit log page and the GDPR pages of the office."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from podium.core.audit import audit_log
from podium.core.models import AuditEntry
from podium.customers.accounts import consent_set
from podium.customers.models import Customer, CustomerNote, PrivacySettings
from podium.customers.tests.factories import customer_make
from podium.sales.tests.factories import buy, on_sale_performance


@pytest.fixture
def admin_client(client, house, staff_factory):
    client.force_login(staff_factory(house, "house_admin"))
    return client


@pytest.fixture
def logged(house, other_house, staff_factory):
    """An order at A (placed: logged), a tariff change at A, and an entry at B."""
    performance, tariff, _quota = on_sale_performance(house)
    order = buy(house, performance, tariff, buyer_email="an@example.be")
    clerk = staff_factory(house, "ticketing", username="kassa-jan")
    audit_log(
        action="podium.sales.tariff.changed",
        obj=tariff,
        actor=clerk,
        data={"price": ["20.00", "22.00"]},
    )
    b_performance, b_tariff, _q = on_sale_performance(other_house)
    audit_log(
        action="podium.sales.tariff.changed",
        obj=b_tariff,
        actor=None,
        data={"price": ["1.00", "99.00"]},
    )
    return order


def test_the_log_shows_this_house_only_newest_first(admin_client, logged):
    html = admin_client.get(reverse("office:audit-log")).content.decode()

    assert "20.00 → 22.00" in html
    assert "99.00" not in html  # house B's entry
    assert html.index("Tarief gewijzigd") < html.index("Bestelling geplaatst")
    assert reverse("office:order-detail", args=[logged.code]) in html


def test_the_log_filters_by_group_actor_and_object(admin_client, logged):
    url = reverse("office:audit-log")

    prices = admin_client.get(url, {"group": "prices"}).content.decode()
    by_actor = admin_client.get(url, {"actor": "kassa"}).content.decode()
    by_order = admin_client.get(url, {"object": f"order {logged.code}"}).content
    future = admin_client.get(url, {"date_from": "2999-01-01"}).content.decode()

    assert "Tarief gewijzigd" in prices and "Bestelling geplaatst" not in prices
    assert "kassa-jan" in by_actor and "Bestelling geplaatst" not in by_actor
    assert b"Bestelling geplaatst" in by_order and b"Tarief gewijzigd" not in by_order
    assert "Geen overeenkomende regels." in future


def test_the_csv_holds_the_filtered_entries(admin_client, logged):
    response = admin_client.get(
        reverse("office:audit-log"), {"group": "prices", "format": "csv"}
    )

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "podium.sales.tariff.changed" in text
    assert "order.placed" not in text and "99.00" not in text


def test_house_b_never_sees_house_a(client, other_house, staff_factory, logged):
    client.force_login(staff_factory(other_house, "house_admin"))

    html = client.get(reverse("office:audit-log")).content.decode()
    csv = client.get(reverse("office:audit-log"), {"format": "csv"}).content.decode()

    assert "99.00" in html
    assert "22.00" not in html and "22.00" not in csv
    assert logged.code not in html


@pytest.fixture
def mira(house, other_house):
    customer = customer_make(house, name="Mira Claes", email="mira@example.be")
    consent_set(
        customer=customer,
        house=house,
        purpose="newsletter",
        granted=True,
        source="checkout",
    )
    consent_set(
        customer=customer,
        house=house,
        purpose="newsletter",
        granted=False,
        source="account page",
    )
    consent_set(
        customer=customer,
        house=other_house,
        purpose="suggestions",
        granted=True,
        source="account page",
    )
    CustomerNote.objects.create(house=other_house, customer=customer, text="Geheim B")
    return customer


def test_the_customer_page_shows_this_houses_consent_history(admin_client, mira):
    html = admin_client.get(
        reverse("office:customer-detail", args=[mira.pk])
    ).content.decode()

    with translation.override("nl"):
        sources = [gettext("Checkout"), gettext("Account page")]
    assert all(source in html for source in sources)
    assert html.count("<tr><td>") == 2  # two rows of A; B's consent is not shown


def test_the_export_is_this_houses_part(admin_client, mira):
    page = admin_client.get(reverse("office:customer-export", args=[mira.pk]))
    download = admin_client.get(reverse("office:customer-export-json", args=[mira.pk]))

    assert b"mira@example.be" in page.content
    assert b"Geheim B" not in page.content and b"Geheim B" not in download.content
    assert download["Content-Disposition"].startswith("attachment")
    assert download.json()["consents"][0]["source"] == "checkout"


def test_an_admin_anonymises_after_confirming(admin_client, house, mira):
    url = reverse("office:customer-erase", args=[mira.pk])

    unconfirmed = admin_client.post(url, {})
    confirmed = admin_client.post(url, {"confirm": "on"})

    mira.refresh_from_db()
    assert unconfirmed.status_code == 200
    assert confirmed.status_code == 302
    assert (mira.name, mira.email) == ("verwijderde klant", "")
    assert AuditEntry.objects.filter(
        house_id=house.pk, action="podium.customers.customer.erased"
    ).exists()


@pytest.mark.parametrize("role", ["ticketing", "audience"])
def test_other_roles_may_not_anonymise(client, house, staff_factory, mira, role):
    client.force_login(staff_factory(house, role))

    response = client.post(
        reverse("office:customer-erase", args=[mira.pk]), {"confirm": "on"}
    )

    assert response.status_code == 403
    assert Customer.objects.get(pk=mira.pk).email == "mira@example.be"


def test_the_privacy_page_sets_the_retention_and_lists_the_register(
    admin_client, house
):
    page = admin_client.get(reverse("office:privacy")).content.decode()
    saved = admin_client.post(
        reverse("office:privacy"), {"customer_retention_years": "3"}
    )
    refused = admin_client.post(
        reverse("office:privacy"), {"customer_retention_years": "0"}
    )

    assert "Mollie" in page and "Gerechtvaardigd belang" in page
    assert saved.status_code == 302 and refused.status_code == 200
    assert PrivacySettings._base_manager.get(house=house).customer_retention_years == 3
    assert (
        AuditEntry.objects.filter(action="podium.customers.privacy.changed").count()
        == 1
    )
