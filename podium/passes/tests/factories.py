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
