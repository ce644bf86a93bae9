"""The members report: passes active, new and ending per type, the member tickets
sold on them, and what the gift vouchers were sold for and still hold."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.passes.memberships import basket_member_set, membership_buy
from podium.passes.models import GiftVoucher, Membership
from podium.passes.reports import membership_report, voucher_outstanding
from podium.passes.tests.factories import (
    member_tariff_make,
    membership_active_make,
    membership_type_make,
    voucher_active_make,
)
from podium.passes.vouchers import voucher_buy
from podium.sales.models import Order
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_mark_paid, order_place
from podium.sales.tests.factories import on_sale_performance

pytestmark = pytest.mark.django_db
D = Decimal


def _member_order(house, membership, performance, tariffs, *, paid=True):
    """An order bought with the pass: {tariff: quantity}."""
    basket = basket_create(house=house)
    basket_member_set(house=house, actor=None, basket=basket, number=membership.number)
    for tariff, quantity in tariffs.items():
        basket_add(
            house=house,
            actor=None,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
        )
    order = order_place(
        house=house,
        actor=None,
        basket=basket,
        buyer_name="Mieke Maes",
        buyer_email="mieke@example.be",
    )
    return order_mark_paid(order=order) if paid else order


def _paid_days_ago(membership, days):
    Order.objects.filter(pk=membership.order_id).update(
        paid_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def world(scoped):
    """Two pass types with passes in every situation, and member tickets."""
    house = scoped
    today = timezone.localdate()
    gold = membership_type_make(house, name={"nl": "Goud"}, position=1)
    silver = membership_type_make(house, name={"nl": "Zilver"}, position=2)
    new_gold = membership_active_make(house, gold)
    ending_gold = membership_active_make(house, gold, holder_email="b@example.be")
    _paid_days_ago(ending_gold, 340)
    Membership.objects.filter(pk=ending_gold.pk).update(
        valid_until=today + timedelta(days=10)
    )
    ended_gold = membership_active_make(house, gold, holder_email="c@example.be")
    _paid_days_ago(ended_gold, 400)
    Membership.objects.filter(pk=ended_gold.pk).update(
        valid_from=today - timedelta(days=400),
        valid_until=today - timedelta(days=1),
    )
    new_silver = membership_active_make(house, silver, holder_email="d@example.be")
    membership_buy(  # awaiting payment: counts nowhere
        house=house,
        actor=None,
        type=silver,
        holder_name="Els Wouters",
        holder_email="els@example.be",
    )
    performance, full, _quota = on_sale_performance(house, size=50)
    member = member_tariff_make(full.category, price="15.00")
    _member_order(house, new_gold, performance, {member: 2, full: 1})
    _member_order(house, new_silver, performance, {member: 1})
    _member_order(house, new_gold, performance, {member: 1}, paid=False)
    return gold, silver


def test_the_report_counts_passes_and_member_tickets_per_type(scoped, world):
    gold, silver = world

    report = membership_report(house=scoped)

    rows = [
        (r.type.pk, r.active, r.new, r.ending, r.member_tickets, r.member_revenue)
        for r in report.types
    ]
    assert rows == [
        (gold.pk, 2, 1, 1, 2, D("30.00")),
        (silver.pk, 1, 1, 0, 1, D("15.00")),
    ]
    total = report.total
    assert (
        total.type,
        total.active,
        total.new,
        total.ending,
        total.member_tickets,
        total.member_revenue,
    ) == (None, 3, 2, 1, 3, D("45.00"))


def test_member_tickets_of_a_cancelled_order_do_not_count(scoped, world):
    gold, _silver = world
    Order.objects.filter(house=scoped, state=Order.State.PAID, total=D("15.00")).update(
        state=Order.State.CANCELLED
    )

    report = membership_report(house=scoped)

    assert [(r.member_tickets, r.member_revenue) for r in report.types] == [
        (2, D("30.00")),
        (0, D("0.00")),
    ]


def test_the_report_shows_vouchers_sold_and_outstanding(scoped):
    house = scoped
    voucher_active_make(house, value="50.00")
    spent = voucher_active_make(house, value="20.00")
    GiftVoucher.objects.filter(pk=spent.pk).update(balance=D("5.00"))
    expired = voucher_active_make(house, value="30.00")
    GiftVoucher.objects.filter(pk=expired.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    voucher_buy(  # awaiting payment: not sold
        house=house,
        actor=None,
        value="10",
        buyer_name="Jan Janssens",
        buyer_email="jan@example.be",
    )

    report = membership_report(house=house)

    assert (
        report.vouchers_sold,
        report.vouchers_value,
        report.vouchers_outstanding,
    ) == (3, D("100.00"), D("55.00"))
    assert voucher_outstanding(house=house) == D("55.00")


def test_another_houses_passes_and_vouchers_are_not_counted(scoped, world, other_house):
    from podium.tenancy.scoping import house_scope

    with house_scope(other_house):
        voucher_active_make(other_house, value="40.00")
        membership_active_make(other_house, membership_type_make(other_house))

    report = membership_report(house=scoped)

    assert report.total.active == 3
    assert (report.vouchers_sold, report.vouchers_outstanding) == (0, D("0.00"))
