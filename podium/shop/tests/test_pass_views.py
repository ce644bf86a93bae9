"""Friends passes and gift vouchers in the shop: buying them (paid at the local
Mollie), the member tariff for a signed-in member, early access, paying part of an
order with a voucher, and the balance page. Requests speak Dutch."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.customers.models import Customer
from podium.passes.models import GiftVoucher, Membership, MembershipType
from podium.passes.order_hooks import order_paid
from podium.passes.tests.factories import membership_active_make, voucher_active_make
from podium.sales.models import Hold, Order, Payment
from podium.sales.tests.factories import (
    SalesSettingsFactory,
    TariffFactory,
    on_sale_performance,
)
from podium.sales.tests.mollie_server import (  # noqa: F401 (a fixture)
    API_KEY,
    mollie_server_fixture,
)

from .test_account_views import signed_in
from .test_buy_views import BUYER, checkout_url, nl, page_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("scoped")]
D = Decimal


@pytest.fixture
def mollie_house(house, mollie_server):
    SalesSettingsFactory(house=house, mollie_api_key=API_KEY)
    return house


@pytest.fixture
def friends(house):
    return MembershipType.objects.create(
        house=house,
        name={"nl": "Vriendenpas", "fr": "Carte d'ami"},
        price=D("25.00"),
        early_access_days=7,
        max_tickets_per_performance=2,
    )


@pytest.fixture
def show(house):
    performance, full, _quota = on_sale_performance(house, size=20)
    member = TariffFactory(
        category=full.category,
        kind="member",
        name={"nl": "Vriendentarief"},
        price=D("15.00"),
    )
    return performance, full, member


@pytest.fixture
def mieke(house):
    return Customer.objects.create(
        cluster=house.cluster, name="Mieke Claes", email="mieke@example.be"
    )


def _paid_pass(house, friends, customer):
    return membership_active_make(
        house,
        friends,
        holder_name=customer.name,
        holder_email=customer.email,
        customer=customer,
    )


def test_buying_a_friends_pass_goes_to_mollie_and_the_pass_is_valid_once_paid(
    client, mollie_house, mollie_server, friends, mieke
):
    signed_in(client, mieke)
    url = reverse("shop:membership", args=[mollie_house.slug])
    page = client.get(url).content.decode()
    assert "Vriendenpas" in page and "€ 25,00" in page
    assert 'value="mieke@example.be"' in page  # prefilled for the signed-in customer

    response = client.post(
        url, {"type": friends.pk, "name": "Mieke Claes", "email": "mieke@example.be"}
    )

    membership = Membership.objects.get()
    order = membership.order
    payment = order.payments.get()
    assert response.status_code == 302 and response.url == payment.checkout_url
    assert (order.total, payment.amount) == (D("25.00"), D("25.00"))
    assert membership.customer == mieke

    mollie_server.set_status(payment.external_id, "paid")
    page = client.get(reverse("shop:payment-return", args=[order.code])).content
    order_paid(order.pk)  # what the after-commit hook does
    membership.refresh_from_db()
    assert membership.state == Membership.State.ACTIVE
    page = client.get(reverse("shop:payment-return", args=[order.code])).content
    assert membership.number in page.decode()
    assert membership.number in client.get(reverse("shop:account")).content.decode()


def test_a_bad_pass_form_says_why_in_dutch_and_makes_nothing(client, house, friends):
    url = reverse("shop:membership", args=[house.slug])
    response = client.post(url, {"type": friends.pk, "name": "", "email": "nee"})
    page = response.content.decode()
    assert response.status_code == 200
    assert nl("This field is required.") in page
    assert nl("Enter a valid email address.") in page
    assert not Membership.objects.exists() and not Order.objects.exists()


def test_the_member_tariff_shows_only_for_a_signed_in_member(
    client, house, friends, show, mieke
):
    performance, _full, member = show
    assert "Vriendentarief" not in client.get(page_url(performance)).content.decode()
    signed_in(client, mieke)
    assert "Vriendentarief" not in client.get(page_url(performance)).content.decode()

    membership = _paid_pass(house, friends, mieke)
    page = client.get(page_url(performance)).content.decode()
    assert "Vriendentarief" in page
    assert membership.number in page

    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{member.pk}": "2"}
    )
    assert response.status_code == 302
    checkout = client.get(checkout_url(house)).content.decode()
    assert "2 × Vriendentarief (€ 15,00)" in checkout
    # A third member ticket is beyond the pass's maximum: said, not sold.
    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{member.pk}": "1"}
    )
    assert response.status_code == 200
    assert "VP-" in response.content.decode()
    held = Hold.objects.filter(tariff=member, state=Hold.State.HELD)
    assert sum(hold.quantity for hold in held) == 2


def test_a_forged_member_tariff_post_from_a_stranger_is_refused(client, show):
    performance, _full, member = show
    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{member.pk}": "1"}
    )
    assert response.status_code == 200  # the form has no such field: nothing sold
    assert not Order.objects.exists()


def test_a_member_buys_during_early_access(client, house, friends, show, mieke):
    performance, full, _member = show
    performance.sales_start = timezone.now() + timedelta(days=2)
    performance.save()
    assert nl("Not on sale") in client.get(page_url(performance)).content.decode()

    signed_in(client, mieke)
    _paid_pass(house, friends, mieke)
    page = client.get(page_url(performance)).content.decode()
    assert 'class="notice member"' in page  # the early sale is said
    assert nl("On sale") in page
    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{full.pk}": "1"}
    )
    assert response.status_code == 302


def _paid_voucher(house, value):
    return voucher_active_make(house, value=value)


def test_a_voucher_pays_part_and_mollie_the_rest(
    client, mollie_house, mollie_server, show
):
    performance, full, _member = show
    voucher = _paid_voucher(mollie_house, "15.00")
    client.post(page_url(performance), {"action": "tickets", f"tariff_{full.pk}": "2"})

    response = client.post(
        checkout_url(mollie_house),
        {**BUYER, "voucher_code": voucher.code.lower()},
    )

    order = Order.objects.exclude(pk=voucher.order_id).get()
    voucher_part, online = order.payments.order_by("pk")
    assert (voucher_part.provider, voucher_part.amount) == ("voucher", D("15.00"))
    assert (online.provider, online.amount) == ("mollie", D("25.00"))
    assert response.status_code == 302 and response.url == online.checkout_url
    remote = mollie_server.payments[online.external_id]
    assert remote["amount"] == {"currency": "EUR", "value": "25.00"}
    voucher.refresh_from_db()
    assert voucher.balance == D("0.00")


def test_a_voucher_that_covers_everything_needs_no_online_payment(
    client, mollie_house, show
):
    performance, full, _member = show
    voucher = _paid_voucher(mollie_house, "100.00")
    client.post(page_url(performance), {"action": "tickets", f"tariff_{full.pk}": "2"})

    response = client.post(
        checkout_url(mollie_house), {**BUYER, "voucher_code": voucher.code}
    )

    order = Order.objects.exclude(pk=voucher.order_id).get()
    assert order.state == Order.State.PAID
    assert [p.provider for p in order.payments.all()] == ["voucher"]
    assert response.url.endswith(reverse("shop:payment-return", args=[order.code]))
    voucher.refresh_from_db()
    assert voucher.balance == D("60.00")
    page = client.get(response.url).content.decode()
    assert voucher.code in page and "40,00" in page  # what the voucher paid


def test_a_mistyped_voucher_code_is_said_before_any_order(client, mollie_house, show):
    performance, full, _member = show
    client.post(page_url(performance), {"action": "tickets", f"tariff_{full.pk}": "1"})

    response = client.post(
        checkout_url(mollie_house), {**BUYER, "voucher_code": "AAAA-BBBB-CCCC"}
    )

    assert response.status_code == 200
    assert (
        nl("This gift voucher code is not known. Check it and try again.")
        in response.content.decode()
    )
    assert not Order.objects.exists()
    assert not Payment.objects.exists()


def test_buying_a_voucher_and_checking_its_balance(client, mollie_house, mollie_server):
    url = reverse("shop:voucher-buy", args=[mollie_house.slug])
    response = client.post(
        url,
        {
            "value": "other",
            "other_value": "35",
            "recipient_name": "Tom",
            "message": "Veel plezier",
            "name": "Els Wouters",
            "email": "els@example.be",
        },
    )
    voucher = GiftVoucher.objects.get()
    payment = voucher.order.payments.get()
    assert response.url == payment.checkout_url
    assert payment.amount == D("35.00")

    balance = reverse("shop:voucher-balance")
    page = client.post(balance, {"code": voucher.code}).content.decode()
    assert nl("This gift voucher has not been paid yet.") in page

    mollie_server.set_status(payment.external_id, "paid")
    client.get(reverse("shop:payment-return", args=[voucher.order.code]))
    order_paid(voucher.order_id)
    page = client.get(
        reverse("shop:payment-return", args=[voucher.order.code])
    ).content.decode()
    assert voucher.code in page
    pdf = client.get(
        reverse("shop:order-voucher-pdf", args=[voucher.order.code, voucher.code])
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.post(balance, {"code": voucher.code.replace("-", " ")}).content
    assert "€ 35,00" in page.decode() or "€ 35.00" in page.decode()


def test_a_voucher_value_out_of_range_is_refused_in_dutch(client, house):
    url = reverse("shop:voucher-buy", args=[house.slug])
    response = client.post(
        url, {"value": "other", "other_value": "900", "name": "E", "email": "e@x.be"}
    )
    assert response.status_code == 200
    assert not GiftVoucher.objects.exists()
    assert "500" in response.content.decode()


def test_someone_else_cannot_download_a_voucher_pdf(client, house):
    voucher = _paid_voucher(house, "20.00")
    response = client.get(
        reverse("shop:order-voucher-pdf", args=[voucher.order.code, voucher.code])
    )
    assert response.status_code == 404


def test_an_unknown_code_on_the_balance_page(client):
    response = client.post(reverse("shop:voucher-balance"), {"code": "nope"})
    assert (
        nl("This gift voucher code is not known. Check it and try again.")
        in response.content.decode()
    )


def test_a_visitor_without_a_pass_is_told_what_friends_pay(
    client, house, friends, show, mieke
):
    performance, _full, _member = show
    page = client.get(page_url(performance)).content.decode()
    assert "€ 15,00" in page
    assert reverse("shop:membership", args=[house.slug]) in page
    MembershipType.objects.update(sold_online=False)
    page = client.get(page_url(performance)).content.decode()
    assert reverse("shop:membership", args=[house.slug]) not in page
    MembershipType.objects.update(sold_online=True)
    signed_in(client, mieke)
    _paid_pass(house, friends, mieke)
    page = client.get(page_url(performance)).content.decode()
    assert reverse("shop:membership", args=[house.slug]) not in page


def test_friends_in_their_early_sale_skip_the_room_that_guards_the_public_one(
    client, house, friends, show, mieke
):
    from .test_waiting_room import make_room

    performance, full, _member = show
    performance.sales_start = timezone.now() + timedelta(days=2)
    performance.save()
    make_room(house, performance=performance, opens_at=performance.sales_start)

    assert client.get(page_url(performance)).status_code == 302  # to the queue
    signed_in(client, mieke)
    assert client.get(page_url(performance)).status_code == 302  # no pass yet
    _paid_pass(house, friends, mieke)
    assert client.get(page_url(performance)).status_code == 200
    response = client.post(
        page_url(performance), {"action": "tickets", f"tariff_{full.pk}": "1"}
    )
    assert response.status_code == 302 and "wachtrij" not in response.url


def test_a_room_for_the_friends_early_sale_queues_friends_too(
    client, house, friends, show, mieke
):
    from .test_waiting_room import make_room

    performance, _full, _member = show
    performance.sales_start = timezone.now() + timedelta(days=2)
    performance.save()
    make_room(house, performance=performance)  # opened 5 minutes ago
    signed_in(client, mieke)
    _paid_pass(house, friends, mieke)
    assert client.get(page_url(performance)).status_code == 302


def test_the_balance_page_knows_no_voucher_of_another_cluster(client, house):
    from podium.tenancy.scoping import house_scope
    from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

    elsewhere = HouseFactory(cluster=ClusterFactory())
    with house_scope(elsewhere):
        foreign = _paid_voucher(elsewhere, "20.00")
    response = client.post(reverse("shop:voucher-balance"), {"code": foreign.code})
    assert (
        nl("This gift voucher code is not known. Check it and try again.")
        in response.content.decode()
    )
    assert "20,00" not in response.content.decode()
