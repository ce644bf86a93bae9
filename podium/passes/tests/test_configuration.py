"""Configuring subscription types: the update and the kept capacity, and that
another house can change neither."""

from decimal import Decimal

import pytest

from podium.core.errors import NotFound
from podium.passes.configuration import (
    subscription_capacity_set,
    subscription_type_update,
)
from podium.passes.errors import PassesError
from podium.sales.models import Quota

from .factories import choice_type, fixed_type, performances_on_sale

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_update_to_a_discount_drops_the_price_steps(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 4)]
    type_ = choice_type(scoped, performances, discount=None)
    type_.steps.create(house=scoped, count=1, price=D("15"))

    subscription_type_update(
        house=scoped, actor=None, type=type_, discount_percent=D("10")
    )

    type_.refresh_from_db()
    assert (type_.discount_percent, type_.steps.count()) == (D("10.00"), 0)


def test_a_free_choice_without_a_discount_needs_steps(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 4)]
    type_ = choice_type(scoped, performances)

    with pytest.raises(PassesError) as refused:
        subscription_type_update(
            house=scoped, actor=None, type=type_, discount_percent=None
        )

    assert refused.value.field == "steps"
    type_.refresh_from_db()
    assert type_.discount_percent == D("15.00")


def test_another_house_can_neither_update_nor_keep_capacity(scoped, other_house):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 2)]
    type_ = fixed_type(scoped, performances)

    with pytest.raises(NotFound):
        subscription_type_update(
            house=other_house, actor=None, type=type_, price=D("1.00")
        )
    with pytest.raises(NotFound):
        subscription_capacity_set(
            house=other_house, actor=None, type=type_, sizes={performances[0].pk: 5}
        )

    type_.refresh_from_db()
    assert type_.price == D("100.00")
    assert not Quota.objects.filter(for_subscriptions=True).exists()


def test_kept_capacity_is_a_quota_for_subscriptions(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 2)]
    type_ = fixed_type(scoped, performances)

    subscription_capacity_set(
        house=scoped, actor=None, type=type_, sizes={performances[0].pk: 6}
    )

    kept = Quota.objects.get(for_subscriptions=True)
    assert (kept.performance_id, kept.size, kept.used, kept.categories.count()) == (
        performances[0].pk,
        6,
        0,
        0,
    )
