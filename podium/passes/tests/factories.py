"""Subscription types for tests, made through the real services."""

from decimal import Decimal

from podium.passes.configuration import (
    subscription_price_steps_set,
    subscription_tariff_create,
    subscription_type_create,
)
from podium.passes.models import SubscriptionType
from podium.sales.tests.factories import on_sale_performance

NAME = {"nl": "Theaterreeks A", "fr": "Série théâtre A", "en": "Theatre series A"}


def performances_on_sale(house, count, *, size=100, prices=None):
    """`count` performances on sale (each its own production, one full-price tariff
    and one quota of `size`); returns [(performance, tariff, quota), …]."""
    prices = prices or [Decimal("20.00")] * count
    return [on_sale_performance(house, size=size, price=price) for price in prices]


def choice_type(house, performances, *, low=4, high=10, discount="15", **fields):
    return subscription_type_create(
        house=house,
        actor=None,
        name=NAME,
        kind=SubscriptionType.Kind.CHOICE,
        performances=performances,
        min_choices=low,
        max_choices=high,
        discount_percent=None if discount is None else Decimal(discount),
        **fields,
    )


def fixed_type(house, performances, *, price="100.00", **fields):
    return subscription_type_create(
        house=house,
        actor=None,
        name=NAME,
        kind=SubscriptionType.Kind.FIXED,
        performances=performances,
        price=Decimal(price),
        **fields,
    )


def stepped_type(house, performances, steps, **fields):
    type_ = choice_type(house, performances, discount=None, **fields)
    subscription_price_steps_set(house=house, actor=None, type=type_, steps=steps)
    return type_


def tariff_under_26(house, type_, **fields):
    return subscription_tariff_create(
        house=house,
        actor=None,
        type=type_,
        name={"nl": "Abonnement -26", "en": "Subscription under 26"},
        **fields,
    )


# ---------------------------------------------------- friends passes and vouchers

MEMBERSHIP_NAME = {"nl": "Vriendenpas", "fr": "Carte d'ami", "en": "Friends pass"}


def membership_type_make(house, *, price="40.00", productions=(), **fields):
    """A friends pass type on sale (made through the configuration service)."""
    from podium.passes.membership_configuration import membership_type_create

    fields.setdefault("name", MEMBERSHIP_NAME)
    return membership_type_create(
        house=house,
        actor=None,
        price=Decimal(price),
        productions=list(productions),
        **fields,
    )


def membership_active_make(
    house,
    type_,
    *,
    holder_name="Mieke Maes",
    holder_email="mieke@example.be",
    customer=None,
):
    """A friends pass bought and paid: active from today."""
    from podium.passes.memberships import membership_buy, memberships_activate
    from podium.sales.services.orders import order_mark_paid

    membership = membership_buy(
        house=house,
        actor=None,
        type=type_,
        holder_name=holder_name,
        holder_email=holder_email,
        customer=customer,
    )
    order_mark_paid(order=membership.order)
    memberships_activate(membership.order_id)  # the order-paid hook, run now
    membership.refresh_from_db()
    return membership


def voucher_active_make(house, *, value="50.00", buyer_name="Jan Janssens", **fields):
    """A gift voucher bought and paid: spendable."""
    from podium.passes.vouchers import voucher_buy, vouchers_activate
    from podium.sales.services.orders import order_mark_paid

    fields.setdefault("buyer_email", "jan@example.be")
    voucher = voucher_buy(
        house=house, actor=None, value=value, buyer_name=buyer_name, **fields
    )
    order_mark_paid(order=voucher.order)
    vouchers_activate(voucher.order_id)  # the order-paid hook, run now
    voucher.refresh_from_db()
    return voucher


def member_tariff_make(category, *, price="15.00"):
    """A member tariff (only sold with a friends pass) in `category`."""
    from podium.sales.models import Tariff
    from podium.sales.tests.factories import TariffFactory

    return TariffFactory(
        category=category,
        kind=Tariff.Kind.MEMBER,
        price=Decimal(price),
        name={"nl": "Vriend", "fr": "Ami", "en": "Member"},
    )
