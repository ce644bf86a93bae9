from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone

from podium.sales.models import Hold, Order, Quota
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_place
from podium.sales.tests.factories import on_sale_performance
from podium.tenancy.scoping import house_scope, platform_scope


def test_the_periodic_sweep_releases_holds_and_expires_orders_across_houses(
    house, other_house
):
    shows = [on_sale_performance(h, size=10) for h in (house, other_house)]
    for h, (performance, tariff, _quota) in zip(
        (house, other_house), shows, strict=True
    ):
        with house_scope(h):
            held = basket_create(house=h)
            basket_add(
                house=h,
                actor=None,
                basket=held,
                performance=performance,
                tariff=tariff,
                quantity=3,
            )
            ordered = basket_create(house=h)
            basket_add(
                house=h,
                actor=None,
                basket=ordered,
                performance=performance,
                tariff=tariff,
                quantity=2,
            )
            order_place(
                house=h,
                actor=None,
                basket=ordered,
                buyer_name="B",
                buyer_email="b@example.be",
            )
    out = StringIO()

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        call_command("sales_sweep", stdout=out)

    assert (
        out.getvalue().strip() == "Released 2 expired holds; expired 2 unpaid orders."
    )
    with platform_scope():
        assert set(Order.objects.values_list("state", flat=True)) == {
            Order.State.EXPIRED
        }
        assert Hold.objects.filter(state=Hold.State.HELD).count() == 0
        assert [q.used for q in Quota.objects.order_by("pk")] == [0, 0]
