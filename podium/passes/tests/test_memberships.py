"""Friends passes: bought and activated, recognised, and what they give — member
tariffs only for members, early access, a maximum per performance, renewal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory
from podium.customers.models import Customer
from podium.passes.errors import PassesError
from podium.passes.mail import membership_reminders_send
from podium.passes.memberships import (
    basket_member_set,
    member_number_clean,
    member_pass_find,
    member_pass_of_customer,
    membership_buy,
    membership_period,
)
from podium.passes.models import Membership, MembershipType
from podium.passes.order_hooks import order_paid
from podium.passes.tests.factories import membership_active_make
from podium.sales.errors import SalesError, SalesErrorCode
from podium.sales.models import Order, OrderItem, Tariff
from podium.sales.services.baskets import basket_add, basket_create
from podium.sales.services.orders import order_expire, order_mark_paid, order_place
from podium.sales.tests.factories import (
    QuotaFactory,
    TariffFactory,
    on_sale_performance,
)

pytestmark = pytest.mark.django_db
D = Decimal


def friends_type(house, **fields) -> MembershipType:
    defaults = {
        "name": {"nl": "Vriendenpas", "fr": "Carte d'ami"},
        "price": D("25.00"),
        "validity_months": 12,
        "early_access_days": 7,
        "max_tickets_per_performance": 2,
    }
    return MembershipType.objects.create(house=house, **{**defaults, **fields})


def active_pass(
    house, type_=None, customer=None, email="mieke@example.be", **fields
) -> Membership:
    membership = membership_active_make(
        house,
        type_ or friends_type(house),
        holder_name="Mieke Claes",
        holder_email=email,
        customer=customer,
    )
    if fields:
        Membership.objects.filter(pk=membership.pk).update(**fields)
        membership.refresh_from_db()
    return membership


def add(basket, performance, tariff, quantity):
    """Claim places in `basket` (its house's), as the shop or desk does."""
    return basket_add(
        house=basket.house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
    )


def pass_basket(house, membership, channel="web"):
    """A basket bought with the friends pass."""
    basket = basket_create(house=house, channel=channel)
    basket_member_set(house=house, actor=None, basket=basket, number=membership.number)
    return basket


@pytest.fixture
def show(scoped):
    """A performance on sale with a full tariff (€ 20) and a member tariff (€ 15)."""
    performance, full, quota = on_sale_performance(scoped, size=10)
    member = TariffFactory(category=full.category, kind="member", price=D("15.00"))
    return performance, full, member


def test_a_pass_is_bought_as_an_order_and_valid_once_paid(
    scoped, django_capture_on_commit_callbacks
):
    type_ = friends_type(scoped)
    membership = membership_buy(
        house=scoped,
        actor=None,
        type=type_,
        holder_name="Mieke Claes",
        holder_email="mieke@example.be",
    )
    order = membership.order
    assert membership.state == Membership.State.PENDING
    assert order.state == Order.State.PENDING and order.total == D("25.00")
    item = order.items.get()
    assert item.kind == OrderItem.Kind.MEMBERSHIP and item.amount == D("25.00")
    assert order.tickets.count() == 0
    assert member_pass_find(house=scoped, number=membership.number) is None

    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order)

    membership.refresh_from_db()
    today = timezone.localdate()
    assert membership.state == Membership.State.ACTIVE
    assert membership.valid_from == today
    assert membership.valid_until > today + timedelta(days=360)
    assert (
        member_pass_find(house=scoped, number=membership.number.lower()) == membership
    )
    # The holder gets the pass by mail; no empty "tickets" confirmation.
    assert len(mail.outbox) == 1
    assert membership.number in mail.outbox[0].body
    assert "Vriendenpas" in mail.outbox[0].subject


def test_pass_numbers_are_read_forgivingly():
    assert member_number_clean("vp 7k3m 9qx2") == "VP-7K3M-9QX2"
    assert member_number_clean("7K3M9QX2") == "VP-7K3M-9QX2"


def test_a_pass_not_on_sale_online_is_refused_in_the_webshop(scoped):
    type_ = friends_type(scoped, sold_online=False)
    with pytest.raises(PassesError):
        membership_buy(
            house=scoped,
            actor=None,
            type=type_,
            holder_name="Mieke",
            holder_email="mieke@example.be",
        )
    assert not Membership.objects.exists() and not Order.objects.exists()


def test_the_member_tariff_is_only_for_members(scoped, show):
    performance, _full, member = show
    stranger = basket_create(house=scoped)
    with pytest.raises(SalesError) as refused:
        add(stranger, performance, member, 1)
    assert refused.value.code == SalesErrorCode.TARIFF_UNAVAILABLE
    assert "friends pass" in str(refused.value)

    # The desk too needs the pass number.
    desk = basket_create(house=scoped, channel="box_office")
    with pytest.raises(SalesError):
        add(desk, performance, member, 1)
    membership = active_pass(scoped)
    basket_member_set(house=scoped, actor=None, basket=desk, number=membership.number)
    hold = add(desk, performance, member, 1)
    order = order_place(
        house=scoped,
        actor=None,
        basket=desk,
        buyer_name="Mieke Claes",
        buyer_email="mieke@example.be",
        channel=Order.Channel.BOX_OFFICE,
    )
    assert hold.tariff == member
    assert order.member_pass == membership.number
    assert [t.price for t in order.tickets.all()] == [D("15.00")]


def test_an_unknown_expired_or_unpaid_pass_number_is_refused(scoped):
    basket = basket_create(house=scoped)
    with pytest.raises(PassesError, match="No valid friends pass"):
        basket_member_set(
            house=scoped, actor=None, basket=basket, number="VP-AAAA-BBBB"
        )
    yesterday = timezone.localdate() - timedelta(days=1)
    expired = active_pass(scoped, valid_until=yesterday)
    with pytest.raises(PassesError):
        basket_member_set(
            house=scoped, actor=None, basket=basket, number=expired.number
        )
    unpaid = membership_buy(
        house=scoped,
        actor=None,
        type=friends_type(scoped),
        holder_name="Jan",
        holder_email="jan@example.be",
    )
    with pytest.raises(PassesError):
        basket_member_set(house=scoped, actor=None, basket=basket, number=unpaid.number)
    basket.refresh_from_db()
    assert basket.member_pass == ""


def test_a_pass_covers_only_its_chosen_productions(scoped, show):
    performance, _full, member = show
    elsewhere, other_full, _q = on_sale_performance(scoped, size=10)
    other_member = TariffFactory(
        category=other_full.category, kind="member", price=D("12.00")
    )
    type_ = friends_type(scoped)
    type_.productions.set([elsewhere.production])
    membership = active_pass(scoped, type_)
    basket = pass_basket(scoped, membership)
    with pytest.raises(SalesError):
        add(basket, performance, member, 1)
    assert add(basket, elsewhere, other_member, 1).tariff == other_member


def test_at_most_so_many_member_tickets_per_performance_per_pass(scoped, show):
    performance, full, member = show
    membership = active_pass(scoped)  # at most 2 per performance
    first = pass_basket(scoped, membership)
    add(first, performance, member, 1)
    order_place(
        house=scoped,
        actor=None,
        basket=first,
        buyer_name="M",
        buyer_email="m@example.be",
    )

    second = pass_basket(scoped, membership)
    with pytest.raises(SalesError) as refused:
        add(second, performance, member, 2)
    assert refused.value.code == SalesErrorCode.TOO_MANY
    assert "at most 2" in str(refused.value)
    # One more is fine, and full-price tickets are not limited.
    add(second, performance, member, 1)
    add(second, performance, full, 3)


def test_an_expired_order_gives_its_member_tickets_back_to_the_pass(scoped, show):
    performance, _full, member = show
    membership = active_pass(scoped)
    basket = pass_basket(scoped, membership)
    add(basket, performance, member, 2)
    order = order_place(
        house=scoped,
        actor=None,
        basket=basket,
        buyer_name="M",
        buyer_email="m@example.be",
    )
    order_expire(order=order)

    again = pass_basket(scoped, membership)
    assert add(again, performance, member, 2).quantity == 2


def test_members_buy_before_the_public_sale(scoped, show):
    performance, full, member = show
    performance.sales_start = timezone.now() + timedelta(days=3)
    performance.save()
    public = basket_create(house=scoped)
    with pytest.raises(SalesError, match="not started"):
        add(public, performance, full, 1)
    membership = active_pass(scoped)  # 7 days early access
    friend = pass_basket(scoped, membership)
    assert add(friend, performance, full, 1)

    performance.sales_start = timezone.now() + timedelta(days=8)
    performance.save()
    with pytest.raises(SalesError, match="not started"):
        add(friend, performance, full, 1)


def test_the_signed_in_customer_is_recognised_by_their_pass(scoped):
    customer = Customer.objects.create(
        cluster=scoped.cluster, name="Mieke", email="mieke@example.be"
    )
    assert member_pass_of_customer(house=scoped, customer=customer) is None
    membership = active_pass(scoped, customer=customer)
    assert member_pass_of_customer(house=scoped, customer=customer) == membership
    assert member_pass_of_customer(house=scoped, customer=None) is None


def test_a_renewal_follows_on_from_the_current_pass(scoped):
    type_ = friends_type(scoped)
    current = active_pass(scoped, type_)
    ends = timezone.localdate() + timedelta(days=20)
    Membership.objects.filter(pk=current.pk).update(valid_until=ends)
    renewal = membership_buy(
        house=scoped,
        actor=None,
        type=type_,
        holder_name="Mieke Claes",
        holder_email="MIEKE@example.be",
    )
    assert renewal.renews_id == current.pk
    order_mark_paid(order=renewal.order)
    order_paid(renewal.order_id)
    renewal.refresh_from_db()
    assert renewal.valid_from == ends + timedelta(days=1)
    assert renewal.valid_until == date(ends.year + 1, ends.month, ends.day)


def test_membership_period_counts_months_with_the_last_day_included(scoped):
    membership = Membership(type=MembershipType(validity_months=12))
    assert membership_period(membership, date(2026, 9, 1)) == (
        date(2026, 9, 1),
        date(2027, 8, 31),
    )


def test_a_renewal_reminder_goes_once_before_the_end_and_not_after_renewal(scoped):
    type_ = friends_type(scoped)
    today = timezone.localdate()
    soon = active_pass(scoped, type_, valid_until=today + timedelta(days=10))
    later = active_pass(
        scoped, type_, email="b@example.be", valid_until=today + timedelta(days=90)
    )
    renewed = active_pass(
        scoped, type_, email="c@example.be", valid_until=today + timedelta(days=5)
    )
    follow_up = membership_buy(
        house=scoped,
        actor=None,
        type=type_,
        holder_name="X",
        holder_email="x@example.be",
    )
    Membership.objects.filter(pk=follow_up.pk).update(renews=renewed)
    mail.outbox.clear()

    assert membership_reminders_send() == 1
    assert membership_reminders_send() == 0  # once only
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert soon.number in message.body
    assert "/vrienden/" in message.body
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None and later.reminder_sent_at is None


def test_an_expired_pass_order_cancels_the_pass(scoped):
    membership = membership_buy(
        house=scoped,
        actor=None,
        type=friends_type(scoped),
        holder_name="X",
        holder_email="x@example.be",
    )
    order_expire(order=membership.order)
    membership.refresh_from_db()
    assert membership.state == Membership.State.CANCELLED


def test_only_member_tariffs_need_a_pass(scoped, show):
    performance, full, _member = show
    basket = basket_create(house=scoped)
    assert add(basket, performance, full, 1)
    assert Tariff.objects.filter(kind="member").count() == 1


def test_the_agenda_price_range_leaves_out_the_member_tariff(scoped, show):
    from podium.sales.agenda_prices import performance_price_ranges

    performance, _full, _member = show  # full € 20, member € 15
    ranges = performance_price_ranges(performances=[performance])
    assert ranges[performance.pk].low == D("20.00")


def test_a_pass_bought_as_a_guest_is_recognised_once_the_holder_signs_in(scoped):
    membership = active_pass(scoped, email="Nieuw.Lid@example.be")
    customer = Customer.objects.get(email__iexact="nieuw.lid@example.be")
    assert membership.customer == customer
    assert member_pass_of_customer(house=scoped, customer=customer) == membership


def test_member_tickets_are_exchanged_at_the_member_tariff(scoped, staff_factory):
    from podium.sales.services.exchange import exchange_tariffs, exchange_tickets
    from podium.sales.services.payments import payment_start
    from podium.tenancy.models import StaffRole

    clerk = staff_factory(scoped, StaffRole.Role.TICKETING, username="an")
    first, full, _q = on_sale_performance(scoped, size=10)
    member = TariffFactory(category=full.category, kind="member", price=D("15.00"))
    later = PerformanceFactory(
        house=scoped,
        production=first.production,
        starts_at=first.starts_at + timedelta(days=7),
    )
    QuotaFactory(performance=later, size=10)
    membership = active_pass(scoped)
    basket = basket_create(house=scoped, channel="box_office")
    basket_member_set(
        house=scoped, actor=clerk, basket=basket, number=membership.number
    )
    basket_add(
        house=scoped,
        actor=clerk,
        basket=basket,
        performance=first,
        tariff=member,
        quantity=1,
    )
    order = order_place(
        house=scoped,
        actor=clerk,
        basket=basket,
        buyer_name="Mieke",
        buyer_email="",
        channel=Order.Channel.BOX_OFFICE,
    )
    payment_start(house=scoped, actor=clerk, order=order, provider="cash")
    order.refresh_from_db()
    assert member not in exchange_tariffs(performance=later)  # a stranger's order
    assert member in exchange_tariffs(performance=later, order=order)

    done = exchange_tickets(
        house=scoped,
        actor=clerk,
        order=order,
        ticket_ids=[order.tickets.get().pk],
        performance=later,
        payment_method="cash",
    )

    assert [(t.tariff_id, t.price) for t in done.new_tickets] == [
        (member.pk, D("15.00"))
    ]
    assert done.difference == D("0.00")
