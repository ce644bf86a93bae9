"""Customers at the office and at the desk: find, add in one line, notes; per house."""

from decimal import Decimal

import pytest
from django.urls import reverse

from podium.customers.models import Customer, CustomerNote, CustomerRelation
from podium.customers.selectors import customer_orders
from podium.customers.tests.factories import customer_make
from podium.sales.models import Order, Quota
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.desk import desk_sale
from podium.tenancy.models import StaffRole
from podium.tenancy.scoping import house_scope

Role = StaffRole.Role


@pytest.fixture
def jan(house):
    return customer_make(
        house,
        name="Jan Peeters",
        email="jan@example.be",
        phone="0470 12 34 56",
        note="Komt met de rolstoel",
    )


@pytest.fixture
def only_a(house):
    """A customer only house A knows."""
    return customer_make(house, name="Céline Alleen-A", email="celine@a.example")


@pytest.fixture
def ticketing(client, house, staff_factory):
    client.force_login(staff_factory(house, Role.TICKETING))


@pytest.fixture
def staff_b(client, other_house, staff_factory):
    client.force_login(staff_factory(other_house, Role.HOUSE_ADMIN))


def _relations(house) -> list[tuple[int, str]]:
    with house_scope(house):
        return list(
            CustomerRelation.objects.filter(house=house)
            .order_by("pk")
            .values_list("customer", "source")
        )


def _orders(house) -> list[Order]:
    with house_scope(house):
        return list(Order.objects.order_by("pk"))


def _sell(client, sales, **extra):
    data = {f"tariff_{sales.tariff.pk}": "2", "provider": "cash"}
    data.update(extra)
    return client.post(reverse("office:desk-sale", args=[sales.performance.pk]), data)


# --- the customers page --------------------------------------------------------


def test_search_lists_name_e_mail_phone_and_orders(client, house, jan, ticketing):
    page = client.get(reverse("office:customer-list"), {"q": "0470123456"})

    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("office:customer-detail", args=[jan.pk]) in html
    assert "jan@example.be" in html and "0470 12 34 56" in html


def test_search_without_results_says_so(client, jan, ticketing):
    page = client.get(reverse("office:customer-list"), {"q": "Nobody"})

    assert reverse("office:customer-detail", args=[jan.pk]) not in (
        page.content.decode()
    )
    assert "Geen enkele klant van je huis komt overeen." in page.content.decode()


def test_create_in_one_line(client, house, ticketing):
    response = client.post(
        reverse("office:customer-create"),
        {"line": "an@example.be, An De Smet, 03 123 45 67"},
    )

    customer = Customer.objects.get()
    assert response.url == reverse("office:customer-detail", args=[customer.pk])
    assert (customer.name, customer.email, customer.phone_digits) == (
        "An De Smet",
        "an@example.be",
        "031234567",
    )
    assert _relations(house) == [(customer.pk, "desk")]


def test_create_with_a_cluster_e_mail_links_the_existing_customer(
    client, house, other_house, staff_factory, jan
):
    client.force_login(staff_factory(other_house, Role.TICKETING))

    response = client.post(
        reverse("office:customer-create"), {"line": "J. Peeters, JAN@example.be"}
    )

    assert response.url == reverse("office:customer-detail", args=[jan.pk])
    assert Customer.objects.count() == 1
    assert _relations(other_house) == [(jan.pk, "desk")]
    page = client.get(response.url).content.decode()
    assert "was al klant in de cluster" in page
    assert "Komt met de rolstoel" not in page  # house A's note stays A's


def test_create_without_a_name_shows_the_error(client, ticketing):
    page = client.post(reverse("office:customer-create"), {"line": "x@example.be"})

    assert page.status_code == 200
    assert "Geef de naam van de klant" in page.content.decode()
    assert Customer.objects.count() == 0


def test_edit_saves_the_details(client, jan, ticketing):
    response = client.post(
        reverse("office:customer-edit", args=[jan.pk]),
        {"name": "Jan Peeters-Claes", "email": "jan@example.be", "phone": ""},
    )

    assert response.url == reverse("office:customer-detail", args=[jan.pk])
    jan.refresh_from_db()
    assert (jan.name, jan.phone, jan.phone_digits) == ("Jan Peeters-Claes", "", "")


def test_note_is_added_and_shown(client, house, jan, ticketing):
    response = client.post(
        reverse("office:customer-note-add", args=[jan.pk]),
        {"text": "Wil op rij A zitten"},
    )

    assert response.url == reverse("office:customer-detail", args=[jan.pk])
    page = client.get(response.url).content.decode()
    assert "Wil op rij A zitten" in page and "Komt met de rolstoel" in page


def test_an_empty_note_is_refused_on_the_page(client, house, jan, ticketing):
    page = client.post(
        reverse("office:customer-note-add", args=[jan.pk]), {"text": "   "}
    )

    assert page.status_code == 400
    with house_scope(house):
        assert CustomerNote.objects.count() == 1


def test_detail_lists_this_house_s_orders_only(
    client, house, other_house, world, sales, jan, ticketing
):
    with house_scope(house):
        Order.objects.filter(pk=sales.paid.pk).update(customer=jan)
        Order.objects.filter(pk=sales.pending.pk).update(customer=jan)

    page = client.get(reverse("office:customer-detail", args=[jan.pk]))

    html = page.content.decode()
    assert reverse("office:order-detail", args=[sales.paid.code]) in html
    assert reverse("office:order-detail", args=[sales.pending.code]) in html
    assert page.context["customer"].order_count == 2
    with house_scope(other_house):
        assert list(customer_orders(house=other_house, customer=jan)) == []


# --- tenant isolation ----------------------------------------------------------


@pytest.mark.parametrize("name", ["customer-detail", "customer-edit"])
def test_house_b_gets_404_for_house_a_s_customer(client, only_a, staff_b, name):
    page = client.get(reverse(f"office:{name}", args=[only_a.pk]))

    assert page.status_code == 404


def test_house_b_cannot_note_or_edit_house_a_s_customer(client, house, only_a, staff_b):
    note = client.post(
        reverse("office:customer-note-add", args=[only_a.pk]), {"text": "X"}
    )
    edit = client.post(reverse("office:customer-edit", args=[only_a.pk]), {"name": "X"})

    assert (note.status_code, edit.status_code) == (404, 404)
    only_a.refresh_from_db()
    assert only_a.name == "Céline Alleen-A"
    with house_scope(house):
        assert CustomerNote.objects.count() == 0


@pytest.mark.parametrize("query", ["celine", "Céline", "celine@a.example", "Alleen"])
def test_lookup_and_search_never_show_house_a_only_customers(
    client, only_a, staff_b, query
):
    lookup = client.get(reverse("office:customer-lookup"), {"q": query})
    search = client.get(reverse("office:customer-list"), {"q": query})
    listing = client.get(reverse("office:customer-list"))

    for page in (lookup, search, listing):
        assert page.status_code == 200
        assert b"Alleen-A" not in page.content
        assert f'value="{only_a.pk}"'.encode() not in page.content
        assert reverse("office:customer-detail", args=[only_a.pk]).encode() not in (
            page.content
        )


def test_lookup_returns_radio_buttons_for_the_house_s_matches(
    client, jan, only_a, ticketing
):
    page = client.get(reverse("office:customer-lookup"), {"q": "celine"})

    html = page.content.decode()
    assert f'name="customer" value="{only_a.pk}"' in html
    assert f'value="{jan.pk}"' not in html
    assert "1 klant gevonden" in html


def test_lookup_with_a_short_query_returns_nothing(client, jan, ticketing):
    page = client.get(reverse("office:customer-lookup"), {"q": "j"})

    assert (page.status_code, page.content) == (200, b"")


# --- the desk sale -------------------------------------------------------------


def test_the_desk_page_offers_the_customer_field(client, sales, ticketing):
    page = client.get(reverse("office:desk-sale", args=[sales.performance.pk]))

    html = page.content.decode()
    assert 'name="customer_line"' in html
    assert reverse("office:customer-lookup") in html
    assert "customer_lookup.js" in html


def test_a_sale_without_customer_stays_as_it_was(client, house, sales, ticketing):
    response = _sell(client, sales, cash_received="50")

    order = _orders(house)[-1]
    assert response.status_code == 302
    assert (order.customer_id, order.buyer_name, order.buyer_email) == (None, "", "")
    assert Customer.objects.count() == 0


def test_a_sale_to_a_chosen_customer(client, house, sales, jan, ticketing):
    response = _sell(client, sales, customer=str(jan.pk), customer_line="jan")

    order = _orders(house)[-1]
    assert response.url.startswith(reverse("office:desk-receipt", args=[order.code]))
    assert (order.customer_id, order.buyer_name, order.buyer_email, order.state) == (
        jan.pk,
        "Jan Peeters",
        "jan@example.be",
        "paid",
    )
    assert _relations(house) == [(jan.pk, "desk")]  # the first relation stays
    receipt = client.get(response.url).content.decode()
    assert "Jan Peeters" in receipt
    assert reverse("office:customer-detail", args=[jan.pk]) in receipt


def test_a_typed_buyer_name_wins_over_the_customer_s(
    client, house, sales, jan, ticketing
):
    _sell(client, sales, customer=str(jan.pk), buyer_name="Mevrouw Peeters")

    order = _orders(house)[-1]
    assert (order.buyer_name, order.buyer_email) == (
        "Mevrouw Peeters",
        "jan@example.be",
    )


def test_a_sale_with_a_new_customer_in_one_line(client, house, sales, ticketing):
    response = _sell(client, sales, customer_line="Céline Dubois, 0470 99 88 77")

    customer = Customer.objects.get()
    order = _orders(house)[-1]
    assert response.status_code == 302
    assert (customer.name, customer.phone_digits) == ("Céline Dubois", "0470998877")
    assert (order.customer_id, order.buyer_name) == (customer.pk, "Céline Dubois")
    assert _relations(house) == [(customer.pk, "desk")]


def test_a_one_line_customer_with_a_known_e_mail_is_not_duplicated(
    client, house, other_house, sales, staff_factory
):
    known = customer_make(other_house, name="Jan van B", email="jan@b.example")
    client.force_login(staff_factory(house, Role.TICKETING))

    _sell(client, sales, customer_line="Jan, jan@b.example")

    order = _orders(house)[-1]
    assert order.customer_id == known.pk
    assert Customer.objects.count() == 1
    assert _relations(house) == [(known.pk, "desk")]


def test_a_line_without_a_name_sells_nothing(client, house, sales, ticketing):
    before = _orders(house)

    page = _sell(client, sales, customer_line="0470 99 88 77")

    assert page.status_code == 200
    assert (
        "Geef de naam van de klant" in page.context["form"].errors["customer_line"][0]
    )
    assert _orders(house) == before
    assert Customer.objects.count() == 0
    with house_scope(house):
        assert Quota.objects.get(pk=sales.quota.pk).used == sales.quota.used


def test_a_customer_of_another_house_cannot_be_chosen_by_id(
    client, house, other_house, sales, ticketing
):
    theirs = customer_make(other_house, name="Alleen B", email="b@b.example")
    before = _orders(house)

    page = _sell(client, sales, customer=str(theirs.pk))

    assert page.status_code == 200
    assert page.context["form"].errors["customer_line"] == ["Klant niet gevonden."]
    assert _orders(house) == before
    assert _relations(house) == []
    assert b"Alleen B" not in page.content


def test_a_refused_sale_keeps_the_new_customer_chosen(client, house, sales, ticketing):
    with house_scope(house):
        Quota.objects.filter(pk=sales.quota.pk).update(size=sales.quota.used)
    before = _orders(house)

    page = _sell(client, sales, customer_line="Céline Dubois")

    customer = Customer.objects.get()
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{customer.pk}" checked' in html
    assert _orders(house) == before
    again = _sell(
        client, sales, customer=str(customer.pk), customer_line="Céline Dubois"
    )
    assert again.status_code == 200
    assert Customer.objects.count() == 1


def test_desk_sale_service_links_the_customer(
    house, other_house, sales, staff_factory, scoped
):
    clerk = staff_factory(house, Role.TICKETING)
    known_to_b = customer_make(other_house, name="Bea", email="bea@example.be")
    basket = basket_create(house=house, channel=Order.Channel.BOX_OFFICE)
    basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=sales.performance,
        tariff=sales.tariff,
        quantity=1,
    )

    sale = desk_sale(
        house=house,
        actor=clerk,
        basket=basket,
        provider="cash",
        cash_received=Decimal("50"),
        customer=known_to_b,
    )

    assert (sale.order.customer_id, sale.order.buyer_email) == (
        known_to_b.pk,
        "bea@example.be",
    )
    assert _relations(house) == [(known_to_b.pk, "order")]


def test_the_customer_page_lists_their_friends_passes(client, house, jan, ticketing):
    from podium.passes.tests.factories import (
        membership_active_make,
        membership_type_make,
    )
    from podium.tenancy.scoping import house_scope

    url = reverse("office:customer-detail", args=[jan.pk])
    assert "VP-" not in client.get(url).content.decode()
    with house_scope(house):
        membership = membership_active_make(
            house,
            membership_type_make(house),
            holder_name=jan.name,
            holder_email=jan.email,
            customer=jan,
        )
    assert membership.number in client.get(url).content.decode()
