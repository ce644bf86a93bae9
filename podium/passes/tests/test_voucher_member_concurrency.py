"""Races on passes: many orders spend one gift voucher at the same moment (its
balance never goes below zero and what was spent adds up to its value), and one
friends pass fills several baskets at once (no more member tickets than its
maximum). PostgreSQL only (row locks decide the races)."""

from decimal import Decimal

import pytest
from django.db import connection

from podium.passes.errors import PassesError
from podium.passes.models import GiftVoucher, VoucherUse
from podium.passes.order_hooks import order_paid
from podium.passes.vouchers import voucher_buy, voucher_pay
from podium.sales.errors import SoldOut
from podium.sales.models import Order, Payment
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.concurrency import run_together
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.scoping import house_scope, platform_scope

pytestmark = [
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SPENDERS = 12


def test_twelve_orders_spend_one_voucher_at_once_and_it_never_goes_negative(house):
    with house_scope(house):
        performance, tariff, _quota = on_sale_performance(house, size=100)
        voucher = voucher_buy(
            house=house,
            actor=None,
            value="50.00",
            buyer_name="Els",
            buyer_email="els@example.be",
        )
        order_mark_paid(order=voucher.order)
    order_paid(voucher.order_id)
    with house_scope(house):
        orders = [buy(house, performance, tariff, 1) for _ in range(SPENDERS)]  # € 20

    def spend(order):
        with house_scope(house):
            try:
                voucher_pay(house=house, actor=None, order=order, code=voucher.code)
            except PassesError as error:
                raise SoldOut(str(error)) from error  # "used up": counted apart

    outcomes = run_together([lambda o=o: spend(o) for o in orders])

    assert outcomes.count("sold") == 3, outcomes  # € 20 + € 20 + € 10
    assert outcomes.count("sold_out") == SPENDERS - 3
    with platform_scope():
        voucher.refresh_from_db()
        assert voucher.balance == Decimal("0.00")
        spent = sorted(u.amount for u in VoucherUse.objects.all())
        assert spent == [Decimal("10.00"), Decimal("20.00"), Decimal("20.00")]
        assert (
            sum(
                Payment.objects.filter(provider="voucher", state="paid").values_list(
                    "amount", flat=True
                )
            )
            == voucher.value
        )
        assert (
            Order.objects.filter(state=Order.State.PAID).count() == 3
        )  # 2 + voucher's
        assert GiftVoucher.objects.filter(balance__lt=0).count() == 0


def test_one_friends_pass_in_six_baskets_at_once_gets_its_maximum_only(house):
    from podium.passes.memberships import basket_member_set, membership_buy
    from podium.passes.models import MembershipType
    from podium.sales.errors import SalesError
    from podium.sales.models import Hold
    from podium.sales.services.baskets import basket_add, basket_create
    from podium.sales.tests.factories import TariffFactory

    with house_scope(house):
        performance, full, _quota = on_sale_performance(house, size=100)
        member = TariffFactory(category=full.category, kind="member")
        type_ = MembershipType.objects.create(
            house=house, name={"nl": "Vriend"}, price=25, max_tickets_per_performance=2
        )
        membership = membership_buy(
            house=house,
            actor=None,
            type=type_,
            holder_name="Mieke",
            holder_email="mieke@example.be",
        )
        order_mark_paid(order=membership.order)
    order_paid(membership.order_id)
    with house_scope(house):
        baskets = [basket_create(house=house) for _ in range(6)]
        for basket in baskets:
            basket_member_set(
                house=house, actor=None, basket=basket, number=membership.number
            )

    def add(basket):
        with house_scope(house):
            try:
                basket_add(
                    house=house,
                    actor=None,
                    basket=basket,
                    performance=performance,
                    tariff=member,
                    quantity=1,
                )
            except SalesError as error:
                raise SoldOut(str(error)) from error

    outcomes = run_together([lambda b=b: add(b) for b in baskets])

    assert outcomes.count("sold") == 2, outcomes
    assert outcomes.count("sold_out") == 4
    with platform_scope():
        assert Hold.objects.filter(tariff=member, state=Hold.State.HELD).count() == 2
