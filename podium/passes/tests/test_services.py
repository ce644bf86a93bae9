"""Composing, claiming and ordering subscriptions: each rule, each refusal, and the
all-or-nothing claim."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.customers.models import Customer
from podium.passes.errors import PassesError, PassesErrorCode, SubscriptionSoldOut
from podium.passes.models import Subscription
from podium.passes.services import (
    subscription_claim,
    subscription_compose,
    subscription_order_place,
    subscription_release,
)
from podium.sales.errors import SalesError
from podium.sales.models import Hold, Order, Quota
from podium.sales.services.baskets import (
    basket_add,
    basket_create,
    basket_remove_hold,
    basket_total,
)
from podium.sales.services.orders import order_expire, order_mark_paid
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    buy,
)
from podium.seating.models import PerformanceSeat
from podium.seating.services import performance_seating_setup
from podium.seating.tests.factories import seat_plan_make
from podium.tenancy.tests.factories import HallFactory

from .factories import (
    choice_type,
    fixed_type,
    performances_on_sale,
    stepped_type,
    tariff_under_26,
)

pytestmark = pytest.mark.django_db
D = Decimal
BUYER = {"buyer_name": "An Peeters", "buyer_email": "an@example.be"}


@pytest.fixture
def season(scoped):
    """Ten performances of 12 places at € 20, and "choose 4 to 10, 15 % off"."""
    rows = performances_on_sale(scoped, 10, size=12)
    performances = [p for p, _t, _q in rows]
    return performances, [q for _p, _t, q in rows], choice_type(scoped, performances)


def _ids(performances):
    return [p.pk for p in performances]


def _refusal(code, **fields):
    with pytest.raises(PassesError) as caught:
        subscription_compose(**fields)
    assert caught.value.code == code
    return caught.value


def _used(quotas):
    return [Quota.objects.get(pk=q.pk).used for q in quotas]


def _claim(house, type_, performances, *, basket=None, quantity=1, **fields):
    basket = basket or basket_create(house=house)
    composition = subscription_compose(
        house=house,
        type=type_,
        performance_ids=_ids(performances),
        quantity=quantity,
        **{k: v for k, v in fields.items() if k in ("tariff", "customer")},
    )
    subscription = subscription_claim(
        house=house,
        actor=None,
        basket=basket,
        composition=composition,
        seats=fields.get("seats"),
    )
    return basket, subscription


# ------------------------------------------------------------------ composing


def test_compose_prices_the_choice_with_total_and_saving(scoped, season):
    performances, _quotas, type_ = season

    composition = subscription_compose(
        house=scoped, type=type_, performance_ids=_ids(performances[:4]), quantity=2
    )

    assert composition.quote.prices == (D("17.00"),) * 4
    assert (composition.total, composition.single_total, composition.saving) == (
        D("136.00"),
        D("160.00"),
        D("24.00"),
    )


@pytest.mark.parametrize(
    ("count", "code"),
    [(3, PassesErrorCode.TOO_FEW), (11, PassesErrorCode.TOO_MANY)],
)
def test_compose_refuses_too_few_or_too_many(scoped, count, code):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 11)]
    type_ = choice_type(scoped, performances, low=4, high=10)

    _refusal(code, house=scoped, type=type_, performance_ids=_ids(performances[:count]))


def test_compose_refuses_a_performance_outside_the_list(scoped, season):
    performances, _quotas, type_ = season
    stranger = performances_on_sale(scoped, 1)[0][0]

    error = _refusal(
        PassesErrorCode.NOT_IN_SUBSCRIPTION,
        house=scoped,
        type=type_,
        performance_ids=[*_ids(performances[:3]), stranger.pk],
    )
    assert error.field == "performances"


def test_compose_refuses_the_same_performance_twice(scoped, season):
    performances, _quotas, type_ = season

    _refusal(
        PassesErrorCode.INVALID,
        house=scoped,
        type=type_,
        performance_ids=[performances[0].pk] * 4,
    )


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"sales_from": timedelta(days=1)}, "This subscription goes on sale on"),
        (
            {"sales_from": -timedelta(days=2), "sales_until": -timedelta(days=1)},
            "This subscription is no longer on sale.",
        ),
        ({"is_active": False}, "This subscription is no longer on sale."),
    ],
)
def test_compose_refuses_outside_the_sales_window(scoped, window, message):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 4)]
    now = timezone.now()
    fields = {
        k: (now + v if isinstance(v, timedelta) else v) for k, v in window.items()
    }
    type_ = choice_type(scoped, performances, **fields)

    error = _refusal(
        PassesErrorCode.NOT_ON_SALE,
        house=scoped,
        type=type_,
        performance_ids=_ids(performances),
    )
    assert str(error).startswith(message)


def test_subscribers_buy_before_single_tickets_go_on_sale(scoped, season):
    performances, quotas, type_ = season
    later = timezone.now() + timedelta(days=3)
    Performance.objects.filter(pk__in=_ids(performances)).update(sales_start=later)

    basket, subscription = _claim(scoped, type_, performances[:4])

    assert subscription.holds.count() == 4
    assert _used(quotas[:5]) == [1, 1, 1, 1, 0]
    with pytest.raises(SalesError, match="have not started yet"):
        basket_add(
            house=scoped,
            actor=None,
            basket=basket_create(house=scoped),
            performance=performances[0],
            tariff=performances[0].production.tariffs.get(),
            quantity=1,
        )


def test_compose_refuses_a_cancelled_performance(scoped, season):
    performances, _quotas, type_ = season
    Performance.objects.filter(pk=performances[1].pk).update(
        status=Performance.Status.CANCELLED
    )

    _refusal(
        PassesErrorCode.PERFORMANCE_UNAVAILABLE,
        house=scoped,
        type=type_,
        performance_ids=_ids(performances[:4]),
    )


def test_compose_refuses_a_sold_out_performance(scoped, season):
    performances, quotas, type_ = season
    Quota.objects.filter(pk=quotas[2].pk).update(used=12)

    error = _refusal(
        PassesErrorCode.SOLD_OUT,
        house=scoped,
        type=type_,
        performance_ids=_ids(performances[:4]),
    )
    assert isinstance(error, SubscriptionSoldOut) and error.conflict


def test_compose_refuses_a_tariff_of_another_type(scoped, season):
    performances, _quotas, type_ = season
    other = choice_type(scoped, performances)
    foreign = tariff_under_26(scoped, other, factor=D("0.5"))

    _refusal(
        PassesErrorCode.TARIFF_UNAVAILABLE,
        house=scoped,
        type=type_,
        tariff=foreign,
        performance_ids=_ids(performances[:4]),
    )


def test_a_fixed_series_is_sold_whole(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 6)]
    series = fixed_type(scoped, performances, price="99.00")

    whole = subscription_compose(house=scoped, type=series)
    _refusal(
        PassesErrorCode.TOO_FEW,
        house=scoped,
        type=series,
        performance_ids=_ids(performances[:5]),
    )

    assert len(whole.performances) == 6
    assert whole.total == D("99.00")
    assert whole.saving == D("21.00")


def test_the_customer_maximum_counts_held_and_ordered_subscriptions(scoped, season):
    performances, _quotas, type_ = season
    type_.max_per_customer = 2
    type_.save()
    customer = Customer.objects.create(cluster=scoped.cluster, name="An")
    basket, _first = _claim(scoped, type_, performances[:4], customer=customer)
    subscription_order_place(house=scoped, actor=None, basket=basket, **BUYER)
    _claim(scoped, type_, performances[4:8], customer=customer)

    _refusal(
        PassesErrorCode.MAX_PER_CUSTOMER,
        house=scoped,
        type=type_,
        customer=customer,
        performance_ids=_ids(performances[:4]),
    )


def test_an_expired_order_no_longer_counts_towards_the_maximum(scoped, season):
    performances, _quotas, type_ = season
    type_.max_per_customer = 1
    type_.save()
    customer = Customer.objects.create(cluster=scoped.cluster, name="An")
    basket, _first = _claim(scoped, type_, performances[:4], customer=customer)
    order, _subs = subscription_order_place(
        house=scoped, actor=None, basket=basket, customer=customer, **BUYER
    )
    order_expire(order=order)

    again = subscription_compose(
        house=scoped,
        type=type_,
        customer=customer,
        performance_ids=_ids(performances[:4]),
    )

    assert again.quantity == 1


def test_another_house_cannot_compose_this_house_s_type(scoped, season, other_house):
    performances, _quotas, type_ = season

    with pytest.raises(NotFound):
        subscription_compose(
            house=other_house, type=type_, performance_ids=_ids(performances[:4])
        )


# ------------------------------------------------------------------ claiming


def test_a_claim_holds_every_performance_at_its_share_of_the_price(scoped, season):
    performances, quotas, type_ = season

    basket, subscription = _claim(scoped, type_, performances, quantity=2)

    holds = list(subscription.holds.order_by("performance_id"))
    assert [(h.performance_id, h.quantity, h.unit_price) for h in holds] == [
        (p.pk, 2, D("17.00")) for p in performances
    ]
    assert _used(quotas) == [2] * 10
    assert subscription.state == Subscription.HELD
    assert (subscription.total, subscription.saving) == (D("340.00"), D("60.00"))
    assert basket_total(house=scoped, basket=basket) == D("340.00")


def test_one_sold_out_performance_leaves_nothing_held(scoped, season):
    performances, quotas, type_ = season
    composition = subscription_compose(
        house=scoped, type=type_, performance_ids=_ids(performances)
    )
    Quota.objects.filter(pk=quotas[7].pk).update(used=12)  # sold meanwhile
    basket = basket_create(house=scoped)

    with pytest.raises(SubscriptionSoldOut) as caught:
        subscription_claim(
            house=scoped, actor=None, basket=basket, composition=composition
        )

    assert caught.value.code == PassesErrorCode.SOLD_OUT
    assert _used(quotas) == [0] * 7 + [12] + [0] * 2
    assert not Hold.objects.filter(basket=basket).exists()
    assert not Subscription.objects.exists()


def test_kept_places_go_to_subscriptions_first_then_the_general_ones(scoped, season):
    performances, quotas, type_ = season
    kept = QuotaFactory(
        performance=performances[0], name="Abonnementen", size=1, for_subscriptions=True
    )

    _b, first = _claim(scoped, type_, performances[:4])
    _b, second = _claim(scoped, type_, performances[:4])

    assert first.holds.get(performance=performances[0]).quota_ids == [kept.pk]
    assert second.holds.get(performance=performances[0]).quota_ids == [quotas[0].pk]
    assert _used([kept, quotas[0]]) == [1, 1]


def test_single_tickets_never_take_the_places_kept_for_subscriptions(scoped):
    (performance, tariff, general), *_ = performances_on_sale(scoped, 1, size=2)
    kept = QuotaFactory(
        performance=performance, name="Abonnementen", size=5, for_subscriptions=True
    )
    buy(scoped, performance, tariff, quantity=2)

    with pytest.raises(SalesError, match="Sold out"):
        buy(scoped, performance, tariff, quantity=1)

    assert _used([general, kept]) == [2, 0]


def test_kept_places_alone_still_sell_subscriptions_and_not_single_tickets(scoped):
    performances = []
    for _n in range(4):
        performance, tariff, general = performances_on_sale(scoped, 1, size=3)[0]
        general.delete()
        QuotaFactory(performance=performance, size=3, for_subscriptions=True)
        performances.append(performance)
    type_ = choice_type(scoped, performances)

    _b, subscription = _claim(scoped, type_, performances)

    assert subscription.holds.count() == 4
    with pytest.raises(SalesError, match="No places are for sale"):
        buy(scoped, performances[0], performances[0].production.tariffs.get())


def test_a_subscription_can_be_released_from_its_basket(scoped, season):
    performances, quotas, type_ = season
    _basket, subscription = _claim(scoped, type_, performances[:5])

    released = subscription_release(house=scoped, actor=None, subscription=subscription)

    assert released == 5
    assert _used(quotas) == [0] * 10


# ------------------------------------------------------------------ ordering


def test_the_order_carries_the_subscription_and_its_tickets(scoped, season):
    performances, _quotas, type_ = season
    customer = Customer.objects.create(cluster=scoped.cluster, name="An")
    reduced = tariff_under_26(scoped, type_, factor=D("0.5"))
    basket, subscription = _claim(
        scoped, type_, performances[:6], tariff=reduced, customer=customer
    )
    basket_add(  # a single ticket in the same basket stays an ordinary ticket
        house=scoped,
        actor=None,
        basket=basket,
        performance=performances[9],
        tariff=performances[9].production.tariffs.get(),
        quantity=1,
    )

    order, subscriptions = subscription_order_place(
        house=scoped, actor=None, basket=basket, **BUYER
    )

    assert subscriptions == [subscription]
    subscription.refresh_from_db()
    tickets = list(subscription.tickets.order_by("performance_id"))
    assert [(t.performance_id, t.price) for t in tickets] == [
        (p.pk, D("8.50")) for p in performances[:6]
    ]
    assert [(t.vat_amount, t.net_amount) for t in tickets] == [
        (D("0.48"), D("8.02"))
    ] * 6
    assert order.total == D("71.00")  # 6 × 8.50 + one single ticket at 20.00
    assert (subscription.order, subscription.customer) == (order, customer)
    assert subscription.buyer_name == "An Peeters"
    assert subscription.state == Order.State.PENDING
    order_mark_paid(order=order)
    subscription.refresh_from_db()
    assert subscription.state == Order.State.PAID


def test_fixed_price_shares_add_up_to_the_series_price_on_the_tickets(scoped):
    rows = performances_on_sale(scoped, 3, prices=[D("30.00"), D("30.00"), D("30.00")])
    series = fixed_type(scoped, [p for p, _t, _q in rows], price="100.00")
    basket = basket_create(house=scoped)
    subscription_claim(
        house=scoped,
        actor=None,
        basket=basket,
        composition=subscription_compose(house=scoped, type=series),
    )

    order, (subscription,) = subscription_order_place(
        house=scoped, actor=None, basket=basket, **BUYER
    )

    prices = sorted(t.price for t in subscription.tickets.all())
    assert prices == [D("33.33"), D("33.33"), D("33.34")]
    assert order.total == D("100.00")


def test_stepped_prices_reach_the_tickets(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 5)]
    type_ = stepped_type(scoped, performances, {1: D("18"), 5: D("10")})
    basket, _subscription = _claim(scoped, type_, performances)

    order, _subs = subscription_order_place(
        house=scoped, actor=None, basket=basket, **BUYER
    )

    assert order.total == D("82.00")


def test_an_order_is_refused_when_a_subscription_lost_a_performance(scoped, season):
    performances, quotas, type_ = season
    basket, subscription = _claim(scoped, type_, performances[:4])
    basket_remove_hold(house=scoped, actor=None, hold=subscription.holds.first())

    with pytest.raises(PassesError) as caught:
        subscription_order_place(house=scoped, actor=None, basket=basket, **BUYER)

    assert caught.value.code == PassesErrorCode.INCOMPLETE
    assert not Order.objects.exists()
    assert Hold.objects.filter(basket=basket, state=Hold.State.HELD).count() == 3


# ------------------------------------------------------------------ same seat


@pytest.fixture
def seated_series(scoped):
    """Four performances in one hall on one seat plan (3 rows of 6), one rank."""
    hall = HallFactory(house=scoped)
    plan = seat_plan_make(house=scoped, hall=hall, zone_rows=[])
    performances = []
    for _n in range(4):
        performance = PerformanceFactory(house=scoped, hall=hall)
        category = PriceCategoryFactory(house=scoped, production=performance.production)
        TariffFactory(category=category, price=D("25.00"))
        QuotaFactory(performance=performance, size=18)
        performance_seating_setup(
            house=scoped,
            actor=None,
            performance=performance,
            plan=plan,
            zones={1: category},
        )
        performances.append(performance)
    return performances


def _plan_seats(subscription):
    return {
        hold.performance_id: sorted(
            PerformanceSeat.objects.filter(pk__in=hold.seat_ids).values_list(
                "seat_id", flat=True
            )
        )
        for hold in subscription.holds.all()
    }


def test_a_same_seat_series_gets_the_same_seats_free_in_every_performance(
    scoped, seated_series
):
    performances = seated_series
    series = fixed_type(scoped, performances, price="80.00", same_seat=True)
    # The best seats of the front row are taken at one performance only.
    front = PerformanceSeat.objects.filter(performance=performances[2]).order_by(
        "seat__row_order", "seat__order"
    )[:6]
    PerformanceSeat.objects.filter(pk__in=[s.pk for s in front]).update(
        state=PerformanceSeat.State.SOLD
    )

    _basket, subscription = _claim(scoped, series, performances, quantity=2)

    seats = _plan_seats(subscription)
    assert len(set(map(tuple, seats.values()))) == 1  # the same two plan seats
    (chosen,) = set(map(tuple, seats.values()))
    front_seats = {s.seat_id for s in front}
    assert len(chosen) == 2 and not set(chosen) & front_seats
    assert (
        PerformanceSeat.objects.filter(
            performance__in=performances, state=PerformanceSeat.State.HELD
        ).count()
        == 8
    )


def test_the_visitor_may_pick_the_same_seats_on_the_plan(scoped, seated_series):
    performances = seated_series
    series = fixed_type(scoped, performances, price="80.00", same_seat=True)
    picked = sorted(
        PerformanceSeat.objects.filter(performance=performances[0]).values_list(
            "seat_id", flat=True
        )
    )[7:9]

    _basket, subscription = _claim(
        scoped, series, performances, quantity=2, seats=picked
    )

    assert set(map(tuple, _plan_seats(subscription).values())) == {tuple(picked)}


def test_a_picked_seat_taken_at_one_performance_holds_nothing(scoped, seated_series):
    performances = seated_series
    series = fixed_type(scoped, performances, price="80.00", same_seat=True)
    seat = PerformanceSeat.objects.filter(performance=performances[3]).first()
    PerformanceSeat.objects.filter(pk=seat.pk).update(state=PerformanceSeat.State.SOLD)

    with pytest.raises(SubscriptionSoldOut):
        _claim(scoped, series, performances, seats=[seat.seat_id])

    assert not PerformanceSeat.objects.filter(state=PerformanceSeat.State.HELD).exists()
    assert set(Quota.objects.values_list("used", flat=True)) == {0}


def test_same_seat_needs_one_seat_plan(scoped):
    performances = [p for p, _t, _q in performances_on_sale(scoped, 3)]

    with pytest.raises(PassesError) as caught:
        fixed_type(scoped, performances, same_seat=True)

    assert caught.value.field == "same_seat"


def test_a_free_choice_over_seated_performances_gets_the_best_seats_each(
    scoped, seated_series
):
    performances = seated_series
    type_ = choice_type(scoped, performances, low=2, high=4)

    _basket, subscription = _claim(scoped, type_, performances[:3], quantity=3)

    assert [len(h.seat_ids) for h in subscription.holds.all()] == [3, 3, 3]
