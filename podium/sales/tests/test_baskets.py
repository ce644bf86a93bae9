from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.sales.errors import SalesError, SoldOut
from podium.sales.models import Basket, Hold, Quota
from podium.sales.services.baskets import (
    basket_add,
    basket_create,
    basket_get,
    basket_remaining_seconds,
    basket_remove_hold,
)
from podium.sales.services.inventory import release_expired_holds
from podium.sales.services.pricing import price_list_customize
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    SalesSettingsFactory,
    TariffFactory,
    on_sale_performance,
)


@pytest.fixture
def show(house):
    return on_sale_performance(house, size=10)


def _add(house, basket, performance, tariff, quantity=1, channel=None):
    return basket_add(
        house=house,
        actor=None,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
        channel=channel,
    )


def _nothing_held(basket, quota):
    return (
        Hold.objects.filter(basket=basket).count(),
        Quota.objects.get(pk=quota.pk).used,
    ) == (0, 0)


def test_a_basket_holds_for_the_houses_hold_time(scoped):
    SalesSettingsFactory(house=scoped, hold_minutes=7)
    now = timezone.now()

    with time_machine.travel(now, tick=False):
        basket = basket_create(house=scoped)
        assert basket.expires_at == now + timedelta(minutes=7)
        assert basket_remaining_seconds(basket=basket) == 420
    assert len(basket.token) == 43
    assert basket.channel == "web"
    assert basket_remaining_seconds(basket=basket, now=now + timedelta(hours=1)) == 0
    assert basket_get(house=scoped, token=basket.token).pk == basket.pk


def test_adding_claims_and_the_hold_expires_with_the_basket(scoped, show):
    performance, tariff, quota = show
    basket = basket_create(house=scoped)

    hold = _add(scoped, basket, performance, tariff, 3)

    assert (hold.quantity, hold.quota_ids, hold.state) == (3, [quota.pk], "held")
    assert hold.expires_at == Basket.objects.get(pk=basket.pk).expires_at
    assert Quota.objects.get(pk=quota.pk).used == 3


def test_adding_late_restarts_the_clock_for_every_line(scoped, house, show):
    performance, tariff, quota = show
    second, second_tariff, _quota = on_sale_performance(house, size=5)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        basket = basket_create(house=scoped)
        first = _add(scoped, basket, performance, tariff, 1)
    late = start + timedelta(minutes=14)

    with time_machine.travel(late, tick=False):
        _add(scoped, basket, second, second_tariff, 1)

    renewed = late + timedelta(minutes=15)
    assert Basket.objects.get(pk=basket.pk).expires_at == renewed
    assert set(basket.holds.values_list("expires_at", flat=True)) == {renewed}
    with time_machine.travel(late + timedelta(minutes=5), tick=False):
        assert release_expired_holds() == 0
    assert Hold.objects.get(pk=first.pk).state == Hold.State.HELD


def test_a_basket_may_hold_several_performances(scoped, house, show):
    performance, tariff, quota = show
    second, second_tariff, second_quota = on_sale_performance(house, size=5)
    basket = basket_create(house=scoped)

    _add(scoped, basket, performance, tariff, 2)
    _add(scoped, basket, second, second_tariff, 1)

    assert list(basket.holds.values_list("performance_id", "quantity")) == [
        (performance.pk, 2),
        (second.pk, 1),
    ]
    assert [Quota.objects.get(pk=q.pk).used for q in (quota, second_quota)] == [2, 1]


@pytest.mark.parametrize(
    ("change", "channel", "code"),
    [
        ({"status": Performance.Status.PLANNED}, "web", "not_on_sale"),
        ({"status": Performance.Status.CANCELLED}, "web", "not_on_sale"),
        ({"status": Performance.Status.SOLD_OUT}, "box_office", "not_on_sale"),
        ({"visibility": Performance.Visibility.HIDDEN}, "web", "not_on_sale"),
        ({"sales_start": timedelta(hours=1)}, "web", "not_on_sale"),
        ({"sales_end": timedelta(seconds=-1)}, "web", "not_on_sale"),
        ({"starts_at": timedelta(minutes=-5)}, "web", "not_on_sale"),
    ],
)
def test_a_performance_not_on_sale_is_refused_and_nothing_is_claimed(
    scoped, show, change, channel, code
):
    performance, tariff, quota = show
    now = timezone.now()
    for name, value in change.items():
        if isinstance(value, timedelta):
            value = now + value
        setattr(performance, name, value)
    if "starts_at" in change:
        performance.ends_at = performance.starts_at + timedelta(hours=2)
    performance.save()
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError) as error:
        _add(scoped, basket, performance, tariff, 1, channel=channel)

    assert error.value.code == code
    assert _nothing_held(basket, quota)


def test_the_box_office_sells_hidden_and_started_performances(scoped, show):
    performance, tariff, quota = show
    performance.visibility = Performance.Visibility.HIDDEN
    performance.starts_at = timezone.now() - timedelta(minutes=5)
    performance.save()
    basket = basket_create(house=scoped, channel="box_office")

    _add(scoped, basket, performance, tariff, 2)

    assert Quota.objects.get(pk=quota.pk).used == 2


def test_an_open_sales_window_sells(scoped, show):
    performance, tariff, quota = show
    now = timezone.now()
    performance.sales_start = now - timedelta(minutes=1)
    performance.sales_end = now + timedelta(minutes=1)
    performance.save()

    _add(scoped, basket_create(house=scoped), performance, tariff, 1)

    assert Quota.objects.get(pk=quota.pk).used == 1


def test_box_office_only_tariffs_are_refused_on_the_web(scoped, show):
    performance, tariff, quota = show
    door = TariffFactory(category=tariff.category, box_office_only=True)
    web = basket_create(house=scoped)

    with pytest.raises(SalesError) as error:
        _add(scoped, web, performance, door, 1)

    assert error.value.code == "tariff_unavailable"
    assert _nothing_held(web, quota)
    _add(scoped, basket_create(house=scoped, channel="box_office"), performance, door)
    assert Quota.objects.get(pk=quota.pk).used == 1


def test_a_tariff_outside_the_performances_price_list_is_refused(scoped, house, show):
    performance, tariff, quota = show
    elsewhere, foreign_tariff, _q = on_sale_performance(house)
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError) as error:
        _add(scoped, basket, performance, foreign_tariff, 1)

    assert error.value.code == "tariff_unavailable"
    assert _nothing_held(basket, quota)


def test_after_customising_only_the_performances_own_tariffs_sell(scoped, show):
    performance, tariff, quota = show
    (own,) = price_list_customize(house=scoped, actor=None, performance=performance)
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError):
        _add(scoped, basket, performance, tariff, 1)
    hold = _add(scoped, basket, performance, own, 1)

    assert hold.tariff_id == own.pk


@pytest.mark.parametrize(
    ("limits", "first", "second", "code"),
    [
        ({"max_per_order": 4}, 3, 2, "too_many"),
        ({"min_per_order": 2}, None, 1, "too_few"),
    ],
)
def test_per_tariff_limits_per_order(scoped, show, limits, first, second, code):
    performance, tariff, quota = show
    for name, value in limits.items():
        setattr(tariff, name, value)
    tariff.save()
    basket = basket_create(house=scoped)
    if first:
        _add(scoped, basket, performance, tariff, first)

    with pytest.raises(SalesError) as error:
        _add(scoped, basket, performance, tariff, second)

    assert error.value.code == code
    assert Quota.objects.get(pk=quota.pk).used == (first or 0)


def test_the_minimum_is_met_in_one_line(scoped, show):
    performance, tariff, quota = show
    tariff.min_per_order = 2
    tariff.save()

    _add(scoped, basket_create(house=scoped), performance, tariff, 2)

    assert Quota.objects.get(pk=quota.pk).used == 2


def test_the_house_maximum_counts_the_whole_basket(scoped, house, show):
    SalesSettingsFactory(house=scoped, max_tickets_per_order=5)
    performance, tariff, quota = show
    second, second_tariff, second_quota = on_sale_performance(house, size=10)
    basket = basket_create(house=scoped)
    _add(scoped, basket, performance, tariff, 3)

    with pytest.raises(SalesError) as error:
        _add(scoped, basket, second, second_tariff, 3)

    assert error.value.code == "too_many"
    assert Quota.objects.get(pk=second_quota.pk).used == 0
    _add(scoped, basket, second, second_tariff, 2)


def test_an_expired_basket_takes_nothing(scoped, show):
    performance, tariff, quota = show
    basket = basket_create(house=scoped)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        with pytest.raises(SalesError) as error:
            _add(scoped, basket, performance, tariff, 1)

    assert error.value.code == "basket_expired"
    assert _nothing_held(basket, quota)


def test_sold_out_changes_nothing(scoped, show):
    performance, tariff, quota = show
    _add(scoped, basket_create(house=scoped), performance, tariff, 9)
    basket = basket_create(house=scoped)

    with pytest.raises(SoldOut):
        _add(scoped, basket, performance, tariff, 2)

    assert Quota.objects.get(pk=quota.pk).used == 9
    assert not Hold.objects.filter(basket=basket).exists()


def test_expired_holds_are_released_lazily_by_the_next_claim(scoped, show):
    performance, tariff, quota = show
    stale = basket_create(house=scoped)
    _add(scoped, stale, performance, tariff, 10)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        _add(scoped, basket_create(house=scoped), performance, tariff, 4)

    assert Hold.objects.get(basket=stale).state == Hold.State.RELEASED
    assert Quota.objects.get(pk=quota.pk).used == 4


def test_a_refused_claim_keeps_the_expired_holds_unreleased_for_the_sweep(scoped, show):
    performance, tariff, quota = show
    stale = basket_create(house=scoped)
    _add(scoped, stale, performance, tariff, 3)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        with pytest.raises(SoldOut):
            _add(scoped, basket_create(house=scoped), performance, tariff, 11)

    # The whole claim rolled back, the lazy release with it: the next claim or
    # the periodic sweep releases it.
    assert Hold.objects.get(basket=stale).state == Hold.State.HELD
    assert Quota.objects.get(pk=quota.pk).used == 3


def test_removing_a_hold_gives_its_places_back_once(scoped, show):
    performance, tariff, quota = show
    hold = _add(scoped, basket_create(house=scoped), performance, tariff, 4)

    basket_remove_hold(house=scoped, actor=None, hold=hold)
    basket_remove_hold(house=scoped, actor=None, hold=hold)

    assert Hold.objects.get(pk=hold.pk).state == Hold.State.RELEASED
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_another_houses_basket_and_performance_are_not_found(
    scoped, house, other_house
):
    performance, tariff, quota = on_sale_performance(house)
    foreign_perf, foreign_tariff, foreign_quota = on_sale_performance(other_house)
    foreign_basket = Basket.objects.create(
        house=other_house, token="foreign", expires_at=timezone.now() + timedelta(1)
    )
    own_basket = basket_create(house=scoped)

    with pytest.raises(NotFound):
        basket_get(house=scoped, token="foreign")
    with pytest.raises(NotFound):
        _add(scoped, foreign_basket, performance, tariff, 1)
    with pytest.raises(NotFound):
        _add(scoped, own_basket, foreign_perf, foreign_tariff, 1)
    assert Quota.objects.get(pk=quota.pk).used == 0


def test_a_quota_limited_to_other_categories_does_not_sell_this_one(scoped, house):
    performance = PerformanceFactory(house=house)
    category = PriceCategoryFactory(house=house, production=performance.production)
    other = PriceCategoryFactory(house=house, production=performance.production)
    tariff = TariffFactory(category=category, price=Decimal("10.00"))
    QuotaFactory(performance=performance, size=5).categories.set([other])
    basket = basket_create(house=scoped)

    with pytest.raises(SalesError) as error:
        _add(scoped, basket, performance, tariff, 1)

    assert error.value.code == "not_on_sale"
