"""A sale at the desk: paid in one step, the buyer optional, the change computed."""

from decimal import Decimal

import pytest
from django.core import mail

from podium.sales.errors import SalesError
from podium.sales.models import Hold, Order, Quota, SalesSettings, Tariff
from podium.sales.services.baskets import basket_add, basket_create, basket_total
from podium.sales.services.desk import desk_sale
from podium.sales.tests.factories import TariffFactory, on_sale_performance
from podium.tenancy.models import StaffRole


@pytest.fixture
def clerk(house, staff_factory):
    return staff_factory(house, StaffRole.Role.TICKETING)


@pytest.fixture
def desk_basket(scoped, house, clerk):
    performance, tariff, quota = on_sale_performance(house, size=10)
    basket = basket_create(house=scoped, channel="box_office")
    basket_add(
        house=scoped,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=2,
    )
    return basket, performance, tariff, quota


def test_two_full_price_tickets_for_cash_with_change(scoped, clerk, desk_basket):
    basket, _performance, _tariff, _quota = desk_basket
    SalesSettings.objects.filter(house=scoped).update(fee_per_ticket=Decimal("1.00"))

    sale = desk_sale(
        house=scoped,
        actor=clerk,
        basket=basket,
        provider="cash",
        cash_received=Decimal("50"),
    )

    assert (sale.order.state, sale.order.total, sale.change) == (
        "paid",
        Decimal("42.00"),
        Decimal("8.00"),
    )
    assert (sale.order.buyer_name, sale.order.buyer_email) == ("", "")
    assert sale.order.channel == "box_office" and sale.payment.provider == "cash"
    assert mail.outbox == []


def test_too_little_cash_is_refused_before_anything_is_sold(scoped, clerk, desk_basket):
    basket, _performance, _tariff, quota = desk_basket

    with pytest.raises(SalesError, match="less than the 40.00 EUR"):
        desk_sale(
            house=scoped,
            actor=clerk,
            basket=basket,
            provider="cash",
            cash_received=Decimal("20"),
        )

    assert not Order.objects.exists()
    assert Hold.objects.get(basket=basket).state == "held"  # still in the basket
    assert Quota.objects.get(pk=quota.pk).used == 2


def test_card_terminal_with_the_buyer_mailed(
    scoped, clerk, desk_basket, django_capture_on_commit_callbacks
):
    basket, *_rest = desk_basket

    with django_capture_on_commit_callbacks(execute=True):
        sale = desk_sale(
            house=scoped,
            actor=clerk,
            basket=basket,
            provider="card_terminal",
            buyer_name="An Peeters",
            buyer_email="an@example.be",
            send_confirmation=True,
        )

    assert sale.order.state == "paid" and sale.change is None
    assert [m.to for m in mail.outbox] == [["An Peeters <an@example.be>"]]


def test_invitations_are_free_whatever_method_was_chosen(scoped, clerk, house):
    performance, tariff, _quota = on_sale_performance(house, size=10)
    invitation = TariffFactory(
        category=tariff.category,
        price=Decimal("0.00"),
        kind=Tariff.Kind.INVITATION,
        box_office_only=True,
    )
    basket = basket_create(house=scoped, channel="box_office")
    basket_add(
        house=scoped,
        actor=clerk,
        basket=basket,
        performance=performance,
        tariff=invitation,
        quantity=2,
    )
    assert basket_total(house=scoped, basket=basket) == Decimal("0.00")

    sale = desk_sale(house=scoped, actor=clerk, basket=basket, provider="cash")

    assert (sale.order.state, sale.payment.provider) == ("paid", "free")


@pytest.mark.parametrize(
    ("provider", "message"),
    [
        ("free", "Only invitations"),
        ("bank_transfer", "not set up for this house"),
        ("mollie", "does not exist"),
    ],
)
def test_refused_payment_methods_sell_nothing(
    scoped, clerk, desk_basket, provider, message
):
    basket, *_rest = desk_basket

    with pytest.raises(SalesError, match=message):
        desk_sale(house=scoped, actor=clerk, basket=basket, provider=provider)

    assert not Order.objects.exists()


def test_a_web_basket_is_not_sold_at_the_desk(scoped, clerk, house):
    performance, tariff, _quota = on_sale_performance(house, size=10)
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError, match="box-office basket or a reservation"):
        desk_sale(house=scoped, actor=clerk, basket=basket, provider="cash")


def test_an_invalid_email_at_the_desk_gives_the_places_back(scoped, clerk, desk_basket):
    basket, _performance, _tariff, quota = desk_basket

    with pytest.raises(SalesError, match="valid e-mail"):
        desk_sale(
            house=scoped,
            actor=clerk,
            basket=basket,
            provider="cash",
            buyer_email="not-an-address",
        )

    assert Quota.objects.get(pk=quota.pk).used == 0
    assert Hold.objects.get(basket=basket).state == "released"
