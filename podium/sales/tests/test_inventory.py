from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from podium.catalog.tests.factories import PerformanceFactory
from podium.core.errors import NotFound
from podium.sales.errors import SalesError, SoldOut
from podium.sales.models import Basket, Hold, Quota
from podium.sales.services import inventory
from podium.sales.services.inventory import (
    claim,
    claimer_register,
    quota_create,
    quota_update,
    release,
    release_expired_holds,
)
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
)


@pytest.fixture
def nested(house):
    """ "Total 500, of which balcony 120": balcony sales consume both quotas."""
    performance = PerformanceFactory(house=house)
    stalls = PriceCategoryFactory(house=house, production=performance.production)
    balcony = PriceCategoryFactory(house=house, production=performance.production)
    total = QuotaFactory(performance=performance, name="Totaal", size=500)
    upstairs = QuotaFactory(performance=performance, name="Balkon", size=120)
    upstairs.categories.set([balcony])
    return performance, stalls, balcony, total, upstairs


def _used(*quotas):
    return [Quota.objects.get(pk=q.pk).used for q in quotas]


def _claim(performance, category, quantity):
    with transaction.atomic():
        return claim(performance=performance, category=category, quantity=quantity)


def test_a_balcony_sale_consumes_the_total_and_the_balcony(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested

    assert _claim(performance, balcony, 3) == [total.pk, upstairs.pk]
    assert _claim(performance, stalls, 5) == [total.pk]
    assert _used(total, upstairs) == [8, 3]


def test_a_full_balcony_refuses_balcony_but_still_sells_stalls(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    Quota.objects.filter(pk=upstairs.pk).update(used=119)
    Quota.objects.filter(pk=total.pk).update(used=119)

    with pytest.raises(SoldOut):
        _claim(performance, balcony, 2)

    assert _used(total, upstairs) == [119, 119]  # the total's increment rolled back
    assert _claim(performance, stalls, 2) == [total.pk]


def test_once_the_total_is_full_the_balcony_is_unsellable_too(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    _claim(performance, stalls, 500)

    for category in (stalls, balcony):
        with pytest.raises(SoldOut):
            _claim(performance, category, 1)

    assert _used(total, upstairs) == [500, 0]


def test_exactly_the_last_places_can_be_claimed(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    Quota.objects.filter(pk=total.pk).update(used=497)

    _claim(performance, stalls, 3)

    assert _used(total) == [500]


def test_a_category_no_quota_covers_is_not_for_sale(scoped, house):
    performance = PerformanceFactory(house=house)
    covered = PriceCategoryFactory(house=house, production=performance.production)
    orphan = PriceCategoryFactory(house=house, production=performance.production)
    quota = QuotaFactory(performance=performance, size=10)
    quota.categories.set([covered])

    with pytest.raises(SalesError) as error:
        _claim(performance, orphan, 1)

    assert error.value.code == "not_on_sale"
    assert _used(quota) == [0]


@pytest.mark.parametrize("quantity", [0, -1])
def test_a_claim_needs_a_positive_quantity(scoped, nested, quantity):
    performance, stalls, balcony, total, upstairs = nested

    with pytest.raises(SalesError):
        _claim(performance, stalls, quantity)

    assert _used(total) == [0]


def test_release_gives_places_back_but_never_below_zero(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    ids = _claim(performance, balcony, 4)

    release(quota_ids=ids, quantity=3)
    assert _used(total, upstairs) == [1, 1]
    release(quota_ids=ids, quantity=2)
    assert _used(total, upstairs) == [1, 1]


def test_a_registered_claimer_is_used_for_its_kind(scoped, nested, monkeypatch):
    performance, stalls, *_ = nested
    calls = []

    class SeatClaimer:
        def claim(self, *, performance, category, quantity):
            calls.append(("claim", performance.pk, quantity))
            return [42]

        def release(self, *, ids, quantity):
            calls.append(("release", ids, quantity))

    monkeypatch.setattr(inventory, "_claimers", dict(inventory._claimers))
    claimer_register("test-seat", SeatClaimer())
    with transaction.atomic():
        assert claim(
            performance=performance, category=stalls, quantity=2, kind="test-seat"
        ) == [42]
    release(quota_ids=[42], quantity=2, kind="test-seat")

    assert calls == [("claim", performance.pk, 2), ("release", [42], 2)]


def _hold(house, performance, tariff, quota_ids, quantity, expires_at):
    basket = Basket.objects.create(
        house=house,
        token=f"t-{timezone.now().timestamp()}-{quantity}",
        expires_at=expires_at,
    )
    return Hold.objects.create(
        house=house,
        basket=basket,
        performance=performance,
        tariff=tariff,
        quantity=quantity,
        quota_ids=quota_ids,
        expires_at=expires_at,
    )


def test_expired_holds_are_released_exactly_once(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    tariff = TariffFactory(category=balcony)
    now = timezone.now()
    ids = _claim(performance, balcony, 5)
    expired = _hold(scoped, performance, tariff, ids, 3, now - timedelta(seconds=1))
    live = _hold(scoped, performance, tariff, ids, 2, now + timedelta(minutes=5))

    assert release_expired_holds(now=now) == 1
    assert release_expired_holds(now=now) == 0
    assert release_expired_holds(performance=performance, now=now) == 0

    assert _used(total, upstairs) == [2, 2]
    assert Hold.objects.get(pk=expired.pk).state == Hold.State.RELEASED
    assert Hold.objects.get(pk=live.pk).state == Hold.State.HELD


def test_release_for_one_performance_leaves_others_alone(scoped, house):
    now = timezone.now()
    shows = []
    for _ in range(2):
        performance = PerformanceFactory(house=house)
        category = PriceCategoryFactory(house=house, production=performance.production)
        quota = QuotaFactory(performance=performance, size=10)
        _claim(performance, category, 4)
        hold = _hold(
            house,
            performance,
            TariffFactory(category=category),
            [quota.pk],
            4,
            now - timedelta(minutes=1),
        )
        shows.append((performance, quota, hold))

    assert release_expired_holds(performance=shows[0][0], now=now) == 1

    assert _used(shows[0][1], shows[1][1]) == [0, 4]
    assert Hold.objects.get(pk=shows[1][2].pk).state == Hold.State.HELD


def test_quota_create_and_update(scoped, nested):
    performance, stalls, balcony, *_ = nested

    quota = quota_create(
        house=scoped,
        actor=None,
        performance=performance,
        name="Rolstoel",
        size=4,
        categories=[stalls],
    )
    quota_update(house=scoped, actor=None, quota=quota, size=6, name="Rolstoelen")

    quota.refresh_from_db()
    assert (quota.name, quota.size, quota.used) == ("Rolstoelen", 6, 0)
    assert list(quota.categories.all()) == [stalls]


def test_a_quota_cannot_shrink_below_what_is_used(scoped, nested):
    performance, stalls, balcony, total, upstairs = nested
    _claim(performance, balcony, 100)

    with pytest.raises(SalesError) as error:
        quota_update(house=scoped, actor=None, quota=upstairs, size=99)

    assert (error.value.code, error.value.field) == ("invalid", "size")
    assert Quota.objects.get(pk=upstairs.pk).size == 120
    quota_update(house=scoped, actor=None, quota=upstairs, size=100)
    assert Quota.objects.get(pk=upstairs.pk).size == 100


def test_quota_categories_must_belong_to_the_production(scoped, nested, house):
    performance, *_ = nested
    foreign = PriceCategoryFactory(house=house)

    with pytest.raises(SalesError):
        quota_create(
            house=scoped,
            actor=None,
            performance=performance,
            name="X",
            size=1,
            categories=[foreign],
        )

    assert Quota.objects.filter(performance=performance).count() == 2


def test_quotas_of_another_house_cannot_be_made_or_changed(scoped, nested, other_house):
    foreign_performance = PerformanceFactory(house=other_house)
    foreign_quota = QuotaFactory(performance=foreign_performance, size=10)

    with pytest.raises(NotFound):
        quota_create(
            house=scoped,
            actor=None,
            performance=foreign_performance,
            name="X",
            size=1,
        )
    with pytest.raises(NotFound):
        quota_update(house=scoped, actor=None, quota=foreign_quota, size=1)
