"""Orders in the customer's account (customers.accounts): which orders are theirs,
what the data export holds, and that erasure keeps the accounting."""

from decimal import Decimal

import pytest

from podium.customers.tests.factories import CustomerFactory
from podium.sales import customer_data
from podium.sales.models import Order, Ticket
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.scoping import cluster_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped(cluster, house, other_house):
    """The body runs in the shop's scope: every house of the cluster."""
    with cluster_scope(cluster):
        yield cluster


@pytest.fixture
def an(cluster):
    return CustomerFactory(
        cluster=cluster, name="An Peeters", email="an@example.be", email_verified=True
    )


def paid(house, customer=None, email="an@example.be", **fields):
    performance, tariff, _quota = on_sale_performance(house, price=Decimal("20.00"))
    order = buy(
        house,
        performance,
        tariff,
        quantity=2,
        buyer_name="An Peeters",
        buyer_email=email,
        customer=customer,
        **fields,
    )
    return order_mark_paid(order=order)


def test_my_orders_by_link_and_guest_orders_with_my_verified_address(
    scoped, house, other_house, an
):
    linked = paid(house, customer=an)
    guest = paid(other_house, email="AN@example.be")
    someone_elses = paid(house, customer=CustomerFactory(cluster=an.cluster))
    other_address = paid(house, email="bert@example.be")

    mine = set(customer_data.orders_of(an))

    assert mine == {linked, guest}
    assert someone_elses not in mine and other_address not in mine


def test_guest_orders_do_not_show_before_the_address_is_verified(scoped, house, an):
    an.email_verified = False
    guest = paid(house)

    assert list(customer_data.orders_of(an)) == []
    an.email_verified = True
    assert list(customer_data.orders_of(an)) == [guest]


def test_orders_of_another_cluster_never_show(scoped, house, an):
    far = HouseFactory(cluster=ClusterFactory())
    with cluster_scope(far.cluster):
        paid(far)

    assert list(customer_data.orders_of(an)) == []


def test_the_export_lists_orders_with_their_tickets(scoped, house, an):
    order = paid(house, customer=an)

    data = customer_data.customer_data_export(an)

    [exported] = data["orders"]
    assert exported["code"] == order.code
    assert exported["total"] == "40.00"
    assert exported["house"] == "Huis A"
    assert len(exported["tickets"]) == 2
    assert exported["tickets"][0]["price"] == "20.00"
    assert exported["tickets"][0]["vat_amount"]
    assert exported["tickets"][0]["performance"]


def test_erasure_keeps_amounts_vat_and_dates_but_not_the_person(scoped, house, an):
    order = paid(house, customer=an, company_name="Peeters BV")
    guest = paid(house)
    Ticket.objects.filter(order=order).update(holder_name="Bert Peeters")

    customer_data.customer_erase(customer=an)

    for kept in (order, guest):
        after = Order.objects.get(pk=kept.pk)
        assert after.total == Decimal("40.00")
        assert after.paid_at == kept.paid_at and after.state == Order.State.PAID
        assert (after.buyer_name, after.buyer_email, after.company_name) == ("", "", "")
        assert after.customer_id is None
    tickets = Ticket.objects.filter(order=order)
    assert {t.holder_name for t in tickets} == {""}
    assert sum(t.price for t in tickets) == Decimal("40.00")
    assert all(t.vat_amount > 0 for t in tickets)
