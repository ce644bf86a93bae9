"""Ten buyers place orders with a code for three at the same moment (PostgreSQL)."""

import pytest
from django.db import connection

from podium.sales.errors import SalesError
from podium.sales.models import Order, PromoCode
from podium.sales.promo import basket_apply_code
from podium.sales.promo_configuration import promo_code_create
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tests.concurrency import run_together
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.scoping import house_scope, platform_scope

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUYERS = 10
MAX_USES = 3


def test_a_code_for_three_is_used_exactly_three_times(house):
    performance, tariff, _quota = on_sale_performance(house, size=50)
    with house_scope(house):
        code = promo_code_create(
            house=house, actor=None, code="DRIE", value=50, max_uses=MAX_USES
        )
        baskets = []
        for _n in range(BUYERS):
            basket = basket_create(house=house)
            basket_add(
                house=house,
                actor=None,
                basket=basket,
                performance=performance,
                tariff=tariff,
                quantity=1,
            )
            basket_apply_code(house=house, actor=None, basket=basket, code="DRIE")
            baskets.append(basket)
    refusals = []

    def place(index):
        with house_scope(house):
            try:
                order_place(
                    house=house,
                    actor=None,
                    basket=baskets[index],
                    buyer_name=f"Koper {index}",
                    buyer_email=f"koper{index}@example.be",
                )
            except SalesError as error:
                refusals.append(error.code)
                raise

    outcomes = run_together([lambda i=i: place(i) for i in range(BUYERS)])

    assert outcomes.count("sold") == MAX_USES
    assert refusals == ["promo_code_used_up"] * (BUYERS - MAX_USES)
    with platform_scope():
        assert PromoCode.objects.get(pk=code.pk).uses == MAX_USES
        assert Order.objects.filter(promo_code=code).count() == MAX_USES
        assert Order.objects.filter(house=house).count() == MAX_USES
