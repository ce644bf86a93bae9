"""The customer account and the wish list in the shop: pages, own data only, the
downloads, deleting the account, the shared wish list and cluster isolation."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from podium.catalog.models import Performance
from podium.customers.models import Consent, Customer, WishlistItem
from podium.customers.tests.factories import CustomerFactory
from podium.sales.models import Order
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.shop.session import SESSION_CUSTOMER_KEY
from podium.tenancy.scoping import cluster_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

pytestmark = pytest.mark.django_db

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def scoped(cluster, house, other_house):
    with cluster_scope(cluster):
        yield cluster


@pytest.fixture
def an(cluster):
    return CustomerFactory(
        cluster=cluster,
        name="An Peeters",
        email="an@example.be",
        email_verified=True,
        password=make_password(PASSWORD),
    )


def signed_in(client, customer) -> Client:
    session = client.session
    session[SESSION_CUSTOMER_KEY] = customer.pk
    session.save()
    return client


def paid_order(house, customer=None, email="an@example.be") -> Order:
    performance, tariff, _quota = on_sale_performance(house, price=Decimal("15.00"))
    order = buy(house, performance, tariff, buyer_email=email, customer=customer)
    return order_mark_paid(order=order)


# ------------------------------------------------------------------ sign in and up


def test_the_sign_in_page_offers_password_and_link(client, house):
    html = client.get(reverse("shop:account-sign-in")).content.decode()

    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert 'value="link"' in html
    assert "csrfmiddlewaretoken" in html


def test_signing_in_with_the_password_opens_the_account(client, house, an):
    response = client.post(
        reverse("shop:account-sign-in"),
        {"action": "password", "email": "an@example.be", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("shop:account")
    assert client.session[SESSION_CUSTOMER_KEY] == an.pk
    assert "An Peeters" in client.get(reverse("shop:account")).content.decode()


def test_a_wrong_password_is_an_error_on_the_form(client, house, an):
    response = client.post(
        reverse("shop:account-sign-in"),
        {"action": "password", "email": "an@example.be", "password": "fout"},
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert SESSION_CUSTOMER_KEY not in client.session


def test_an_empty_field_points_to_its_error(client, house):
    response = client.post(
        reverse("shop:account-sign-in"),
        {"action": "password", "email": "", "password": ""},
    )

    html = response.content.decode()
    assert 'aria-describedby="id_email-error"' in html
    assert 'id="id_email-error"' in html
    assert 'aria-invalid="true"' in html


def test_failed_sign_ins_lock_the_address(client, house, an):
    for _attempt in range(5):
        client.post(
            reverse("shop:account-sign-in"),
            {"action": "password", "email": "an@example.be", "password": "fout"},
        )

    client.post(
        reverse("shop:account-sign-in"),
        {"action": "password", "email": "an@example.be", "password": PASSWORD},
    )

    assert SESSION_CUSTOMER_KEY not in client.session


def test_a_next_address_elsewhere_is_ignored(client, house, an):
    response = client.post(
        reverse("shop:account-sign-in") + "?next=https://evil.example/",
        {"action": "password", "email": "an@example.be", "password": PASSWORD},
    )

    assert response["Location"] == reverse("shop:account")


def test_signing_up_signs_in(client, house, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("shop:account-sign-up"),
            {"name": "Bert Claes", "email": "bert@example.be", "password": PASSWORD},
        )

    assert response.status_code == 302
    customer = Customer.objects.get(email="bert@example.be")
    assert client.session[SESSION_CUSTOMER_KEY] == customer.pk
    assert len(mail.outbox) == 1


def test_signing_up_with_a_known_address_only_says_check_your_mail(client, house, an):
    response = client.post(
        reverse("shop:account-sign-up"),
        {"name": "Indringer", "email": "an@example.be", "password": "ander-ww-123"},
    )

    assert response.status_code == 200
    assert SESSION_CUSTOMER_KEY not in client.session
    an.refresh_from_db()
    assert an.name == "An Peeters"


def test_a_sign_in_link_is_asked_for_then_used_by_a_post(client, house, an):
    response = client.post(
        reverse("shop:account-sign-in"),
        {"action": "link", "link-email": "an@example.be"},
    )
    assert response.status_code == 200
    link = re.search(r"http://testserver(/account/link/\S+/)", mail.outbox[0].body)[1]

    shown = client.get(link)  # a mail scanner opening the link uses nothing
    assert shown.status_code == 200
    assert SESSION_CUSTOMER_KEY not in client.session
    used = client.post(link)

    assert used.status_code == 302
    assert client.session[SESSION_CUSTOMER_KEY] == an.pk
    client.post(reverse("shop:account-sign-out"))
    assert client.post(link).status_code == 400  # once only


def test_asking_a_link_for_an_unknown_address_says_the_same(client, house):
    response = client.post(
        reverse("shop:account-sign-in"),
        {"action": "link", "link-email": "niemand@example.be"},
    )

    assert response.status_code == 200
    assert mail.outbox == []


def test_signing_out_needs_a_post(client, house, an):
    signed_in(client, an)

    assert client.get(reverse("shop:account-sign-out")).status_code == 405
    client.post(reverse("shop:account-sign-out"))
    assert SESSION_CUSTOMER_KEY not in client.session


def test_a_customer_of_another_cluster_cannot_sign_in_here(client, house, an):
    house.cluster.domain = "regio.example"
    house.cluster.save()
    elsewhere = ClusterFactory(domain="elders.example")
    HouseFactory(cluster=elsewhere)

    client.post(
        reverse("shop:account-sign-in"),
        {"action": "password", "email": "an@example.be", "password": PASSWORD},
        HTTP_HOST="elders.example",
    )
    assert SESSION_CUSTOMER_KEY not in client.session

    # Nor does a session of cluster X open the account on cluster Y's shop.
    signed_in(client, an)
    response = client.get(reverse("shop:account"), HTTP_HOST="elders.example")
    assert response.status_code == 302
    assert reverse("shop:account-sign-in") in response["Location"]


# ------------------------------------------------------------------ account pages


@pytest.mark.parametrize(
    "name",
    ["shop:account", "shop:account-data", "shop:account-preferences", "shop:wishlist"],
)
def test_account_pages_need_a_signed_in_customer(client, house, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("shop:account-sign-in"))


def test_the_overview_shows_my_tickets_and_orders_only(
    client, scoped, house, other_house, an
):
    mine = paid_order(house, customer=an)
    guest = paid_order(other_house)  # a guest order with my verified address
    theirs = paid_order(house, customer=CustomerFactory(cluster=an.cluster))

    html = signed_in(client, an).get(reverse("shop:account")).content.decode()

    assert mine.code in html and guest.code in html
    assert theirs.code not in html
    assert reverse("shop:account-order-pdf", args=[mine.code]) in html


def test_my_paid_orders_pdf_downloads(client, scoped, house, an):
    order = paid_order(house, customer=an)

    response = signed_in(client, an).get(
        reverse("shop:account-order-pdf", args=[order.code])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_customers_or_an_unpaid_order_pdf_is_not_found(
    client, scoped, house, an
):
    theirs = paid_order(
        house, customer=CustomerFactory(cluster=an.cluster), email="x@example.be"
    )
    performance, tariff, _quota = on_sale_performance(house)
    pending = buy(house, performance, tariff, customer=an)
    signed_in(client, an)

    for order in (theirs, pending):
        response = client.get(reverse("shop:account-order-pdf", args=[order.code]))
        assert response.status_code == 404


def test_my_data_downloads_as_json(client, scoped, house, an):
    paid_order(house, customer=an)

    response = signed_in(client, an).get(reverse("shop:account-data-json"))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == "an@example.be"
    assert len(data["orders"]) == 1


def test_changing_name_and_phone(client, house, an):
    response = signed_in(client, an).post(
        reverse("shop:account-data"),
        {"action": "profile", "name": "An Claes", "phone": "0470 12 34 56"},
    )

    assert response.status_code == 302
    an.refresh_from_db()
    assert (an.name, an.phone) == ("An Claes", "0470 12 34 56")


def test_a_new_email_address_waits_for_its_link(client, house, an):
    signed_in(client, an).post(
        reverse("shop:account-data"),
        {"action": "email", "change-email": "an.nieuw@example.be"},
    )

    an.refresh_from_db()
    assert an.email == "an@example.be"
    assert mail.outbox[0].to == ["an.nieuw@example.be"]


def test_deleting_the_account_needs_the_tick_then_erases_and_signs_out(
    client, scoped, house, an
):
    order = paid_order(house, customer=an)
    signed_in(client, an)

    refused = client.post(reverse("shop:account-data"), {"action": "delete"})
    assert refused.status_code == 400
    response = client.post(
        reverse("shop:account-data"), {"action": "delete", "delete-confirm": "on"}
    )

    assert response.status_code == 302
    assert SESSION_CUSTOMER_KEY not in client.session
    an.refresh_from_db()
    assert an.email == "" and an.name == "verwijderde klant"
    order.refresh_from_db()
    assert order.total == Decimal("15.00") and order.buyer_email == ""


def test_preferences_record_consents_per_house(client, house, other_house, an):
    response = signed_in(client, an).post(
        reverse("shop:account-preferences"),
        {f"newsletter_{house.pk}": "on", f"suggestions_{other_house.pk}": "on"},
    )

    assert response.status_code == 302
    current = {
        (c.house_id, c.purpose, c.granted, c.source)
        for c in Consent._base_manager.filter(customer=an)
    }
    assert current == {
        (house.pk, "newsletter", True, "account page"),
        (other_house.pk, "suggestions", True, "account page"),
    }
    html = client.get(reverse("shop:account-preferences")).content.decode()
    assert html.count("checked") == 2


# ------------------------------------------------------------------ wish list


@pytest.fixture
def show(house):
    performance, _tariff, _quota = on_sale_performance(house)
    return performance


def test_saving_adds_to_my_wish_list_and_goes_back(client, house, an, show):
    back = reverse("shop:performance", args=[show.pk])

    response = signed_in(client, an).post(
        reverse("shop:wishlist-add", args=[show.pk]), {"next": back}
    )

    assert response["Location"] == back
    assert WishlistItem.objects.filter(customer=an, performance=show).exists()
    html = client.get(reverse("shop:wishlist")).content.decode()
    assert show.production.title["nl"] in html
    assert back in html  # the buy link


def test_a_visitor_signs_in_first_and_comes_back_with_it_saved(client, house, an, show):
    back = reverse("shop:performance", args=[show.pk])

    response = client.post(reverse("shop:wishlist-add", args=[show.pk]), {"next": back})

    assert response["Location"].startswith(reverse("shop:account-sign-in"))
    signed = client.post(
        response["Location"],
        {"action": "password", "email": "an@example.be", "password": PASSWORD},
    )
    assert signed["Location"] == back
    assert WishlistItem.objects.filter(customer=an, performance=show).exists()


def test_a_hidden_performance_cannot_be_saved(client, scoped, house, an, show):
    Performance.objects.filter(pk=show.pk).update(
        visibility=Performance.Visibility.HIDDEN
    )

    response = signed_in(client, an).post(reverse("shop:wishlist-add", args=[show.pk]))

    assert response.status_code == 404
    assert not WishlistItem.objects.exists()


def test_removing_from_the_wish_list(client, house, an, show):
    WishlistItem.objects.create(customer=an, performance=show)

    signed_in(client, an).post(reverse("shop:wishlist-remove", args=[show.pk]))

    assert not WishlistItem.objects.exists()


def test_the_shared_page_is_read_only_and_not_indexed(client, house, an, show):
    WishlistItem.objects.create(customer=an, performance=show)
    signed_in(client, an).post(reverse("shop:wishlist-share"))
    an.refresh_from_db()
    friend = Client()

    response = friend.get(reverse("shop:wishlist-shared", args=[an.wishlist_token]))

    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert show.production.title["nl"] in html
    assert reverse("shop:performance", args=[show.pk]) in html
    assert reverse("shop:wishlist-remove", args=[show.pk]) not in html
    assert "Peeters" not in html  # the first name only


def test_a_rotated_or_foreign_share_link_is_not_found(client, house, an):
    signed_in(client, an).post(reverse("shop:wishlist-share"))
    an.refresh_from_db()
    old = an.wishlist_token
    client.post(reverse("shop:wishlist-share"), {"action": "rotate"})

    assert client.get(reverse("shop:wishlist-shared", args=[old])).status_code == 404
    an.refresh_from_db()
    house.cluster.domain = "regio.example"
    house.cluster.save()
    elsewhere = ClusterFactory(domain="elders.example")
    HouseFactory(cluster=elsewhere)
    response = client.get(
        reverse("shop:wishlist-shared", args=[an.wishlist_token]),
        HTTP_HOST="elders.example",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["shop:account-data", "shop:account-preferences", "shop:wishlist"]
)
def test_account_pages_render_for_a_signed_in_customer(client, house, an, name):
    response = signed_in(client, an).get(reverse(name))

    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("private")
        or "no-store" in (response["Cache-Control"])
    )
    assert "<script>" not in response.content.decode()


def test_the_save_page_shows_the_button_to_visitors_too(client, house, show):
    response = client.get(reverse("shop:wishlist-add", args=[show.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("shop:wishlist-add", args=[show.pk]) in html
    assert "csrfmiddlewaretoken" in html
