"""A friend of the house signs in on a phone and gets the member tariff by herself,
then pays part of the order with a gift voucher and the rest at our local Mollie.
A visitor buys a gift voucher and a friends pass online. Each page passes axe-core."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from playwright.sync_api import Page, expect

from podium.customers.models import Customer
from podium.passes.memberships import membership_buy
from podium.passes.models import GiftVoucher, Membership, MembershipType
from podium.passes.order_hooks import order_paid
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Order, SalesSettings, Tariff
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import on_sale_performance
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)
from podium.tenancy.scoping import house_scope

from .conftest import PHONE
from .test_programmer_schedules_a_series import assert_accessible

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "een-lang-wachtwoord-42"  # noqa: S105 - a test account


@pytest.fixture
def shop(house, settings, live_server, mollie_server):
    """A show at € 20 with a member tariff of € 16; a friends pass type; Mollie."""
    cache.clear()  # no sign-in throttling left over from other tests
    settings.PODIUM_PUBLIC_URL = live_server.url  # where Mollie sends its webhook
    with house_scope(house):
        performance, full, _quota = on_sale_performance(house, size=50)
        production = performance.production
        production.title = {"nl": "De Storm", "en": "The Tempest"}
        production.save()
        member = Tariff.objects.create(
            house=house,
            production=production,
            category=full.category,
            kind=Tariff.Kind.MEMBER,
            name={"nl": "Vriendentarief", "en": "Friends tariff"},
            price=Decimal("16.00"),
        )
        friends = MembershipType.objects.create(
            house=house,
            name={"nl": "Vriendenpas", "en": "Friends pass"},
            price=Decimal("25.00"),
            early_access_days=7,
            max_tickets_per_performance=2,
        )
        SalesSettings.objects.update_or_create(
            house=house, defaults={"mollie_api_key": API_KEY}
        )
    return performance, member, friends


def _paid(house, sale):
    with house_scope(house):
        order_mark_paid(order=sale.order)
    order_paid(sale.order_id)


def test_a_friend_gets_the_member_tariff_and_a_voucher_pays_part(
    page: Page, house, shop
):
    performance, member, friends = shop
    assert page.viewport_size == PHONE
    with house_scope(house):
        mieke = Customer.objects.create(
            cluster=house.cluster,
            name="Mieke Claes",
            email="mieke@example.be",
            password=make_password(PASSWORD),
        )
        membership = membership_buy(
            house=house,
            actor=None,
            type=friends,
            holder_name="Mieke Claes",
            holder_email="mieke@example.be",
            customer=mieke,
        )
        voucher = voucher_buy(
            house=house,
            actor=None,
            value=Decimal("15.00"),
            buyer_name="Els",
            buyer_email="els@example.be",
        )
    _paid(house, membership)
    _paid(house, voucher)

    # A visitor who is not signed in sees no member tariff
    page.goto(f"/voorstelling/{performance.pk}/")
    expect(page.get_by_label(re.compile("Friends tariff"))).to_have_count(0)

    # Mieke signs in: the page recognises her pass and offers the member tariff
    page.goto("/account/aanmelden/")
    with_password = page.get_by_role("region", name="With your password")
    with_password.get_by_label("E-mail address").fill("mieke@example.be")
    with_password.get_by_label("Password").fill(PASSWORD)
    with_password.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(membership.number).first).to_be_visible()
    page.goto(f"/voorstelling/{performance.pk}/")
    expect(
        page.get_by_text(f"With your friends pass {membership.number}")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Friends tariff")).fill("2")
    page.get_by_role("button", name="To the basket").click()

    # At the checkout the member price holds; the voucher pays € 15 of € 32
    expect(page.get_by_role("heading", name="Your basket")).to_be_visible()
    expect(page.locator("table.basket")).to_contain_text("€ 16.00")
    expect(page.get_by_label("Your e-mail address")).to_have_value("mieke@example.be")
    page.get_by_text("Pay with a gift voucher?").click()
    page.get_by_label("Gift voucher code").fill(voucher.code.lower())
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Pay € 32")).click()

    # The rest (€ 17) is paid at the local Mollie
    expect(page.get_by_text("17.00")).to_be_visible()
    page.get_by_role("link", name="paid").click()
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    assert_accessible(page)

    with house_scope(house):
        order = (
            Order.objects.filter(buyer_email="mieke@example.be", items__isnull=True)
            .exclude(pk=membership.order_id)
            .get()
        )
        payments = sorted((p.provider, p.amount, p.state) for p in order.payments.all())
        prices = [t.price for t in order.tickets.all()]
        voucher.refresh_from_db()
    assert (order.state, order.total, order.member_pass) == (
        "paid",
        Decimal("32.00"),
        membership.number,
    )
    assert prices == [Decimal("16.00")] * 2
    assert payments == [
        ("mollie", Decimal("17.00"), "paid"),
        ("voucher", Decimal("15.00"), "paid"),
    ]
    assert voucher.balance == 0


def test_a_visitor_buys_a_gift_voucher_and_a_friends_pass(page: Page, house, shop):
    # A gift voucher of another amount, for Tom, paid at the local Mollie
    page.goto(f"/cadeaubon/{house.slug}/")
    assert_accessible(page)
    page.get_by_label("Another amount", exact=True).check()
    page.get_by_label("Another amount (€)").fill("35")
    page.get_by_label("For (optional)").fill("Tom")
    page.get_by_label("Your name").fill("Els Wouters")
    page.get_by_label("Your e-mail address").fill("els@example.be")
    page.get_by_role("button", name="Buy and pay").click()
    page.get_by_role("link", name="paid").click()
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    with house_scope(house):
        voucher = GiftVoucher.objects.get()
    expect(page.get_by_text(voucher.code)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the gift voucher (PDF)").click()
    assert download.value.suggested_filename == f"cadeaubon-{voucher.code}.pdf"
    assert_accessible(page)

    # Its balance is looked up with the code
    page.goto("/cadeaubon/")
    page.get_by_label("Gift voucher code").fill(voucher.code)
    page.get_by_role("button", name="Show the balance").click()
    expect(page.get_by_role("status")).to_contain_text("35.00")
    assert_accessible(page)

    # A friends pass, bought as a guest
    page.goto("/vrienden/")
    page.get_by_role("link", name=re.compile("Become a friend")).first.click()
    assert_accessible(page)
    page.get_by_label("Your name").fill("Jan Peeters")
    page.get_by_label("Your e-mail address").fill("jan@example.be")
    page.get_by_role("button", name="Buy and pay").click()
    page.get_by_role("link", name="paid").click()
    expect(page.get_by_role("status")).to_have_attribute("data-state", "paid")
    with house_scope(house):
        membership = Membership.objects.get()
    assert membership.state == Membership.State.ACTIVE
    expect(page.get_by_text(membership.number)).to_be_visible()
