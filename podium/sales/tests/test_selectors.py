from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Basket, Hold, Quota
from podium.sales.selectors import (
    performance_availability,
    performances_availability,
)
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    on_sale_performance,
)


@pytest.fixture
def nested(house):
    performance = PerformanceFactory(house=house)
    stalls = PriceCategoryFactory(house=house, production=performance.production)
    balcony = PriceCategoryFactory(house=house, production=performance.production)
    total = QuotaFactory(performance=performance, name="Totaal", size=500)
    upstairs = QuotaFactory(performance=performance, name="Balkon", size=120)
    upstairs.categories.set([balcony])
    return performance, stalls, balcony, total, upstairs


def _use(quota, used):
    Quota.objects.filter(pk=quota.pk).update(used=used)


@pytest.mark.parametrize(
    ("total_used", "balcony_used", "stalls_left", "balcony_left", "left", "reason"),
    [
        (0, 0, 500, 120, 500, "on_sale"),
        (400, 100, 100, 20, 100, "on_sale"),
        (490, 100, 10, 10, 10, "on_sale"),
        (120, 120, 380, 0, 380, "on_sale"),
        (500, 50, 0, 0, 0, "sold_out"),
    ],
)
def test_nested_quotas_per_category_and_in_total(
    scoped, nested, total_used, balcony_used, stalls_left, balcony_left, left, reason
):
    performance, stalls, balcony, total, upstairs = nested
    _use(total, total_used)
    _use(upstairs, balcony_used)

    result = performance_availability(performance=performance)

    assert result.by_category == {stalls.pk: stalls_left, balcony.pk: balcony_left}
    assert (result.available, result.reason) == (left, reason)
    assert result.on_sale is (reason == "on_sale")
    assert result.sold_out is (reason == "sold_out")


def test_separate_zones_add_up(scoped, house):
    performance = PerformanceFactory(house=house)
    zones = [
        PriceCategoryFactory(house=house, production=performance.production)
        for _ in range(2)
    ]
    for zone, size in zip(zones, (300, 100), strict=True):
        QuotaFactory(performance=performance, size=size).categories.set([zone])

    result = performance_availability(performance=performance)

    assert (result.available, result.by_category) == (
        400,
        {zones[0].pk: 300, zones[1].pk: 100},
    )


NOW = timezone.now()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Performance.Status.CANCELLED}, "cancelled"),
        ({"status": Performance.Status.PLANNED}, "not_on_sale"),
        ({"sales_start": NOW + timedelta(hours=1)}, "not_started"),
        ({"sales_end": NOW - timedelta(hours=1)}, "ended"),
        ({"sales_end": NOW + timedelta(hours=1)}, "on_sale"),
    ],
)
def test_why_a_performance_is_not_on_sale(scoped, house, change, reason):
    performance, tariff, quota = on_sale_performance(house, size=10)
    for name, value in change.items():
        setattr(performance, name, value)

    result = performance_availability(performance=performance, now=NOW)

    assert (result.on_sale, result.reason, result.available) == (
        reason == "on_sale",
        reason,
        10,
    )


def test_a_performance_without_quotas_is_not_on_sale(scoped, house):
    performance = PerformanceFactory(house=house)
    PriceCategoryFactory(house=house, production=performance.production)

    result = performance_availability(performance=performance)

    assert (result.on_sale, result.reason, result.available) == (
        False,
        "not_on_sale",
        0,
    )


def test_expired_holds_waiting_for_the_sweep_count_as_available(scoped, house):
    performance, tariff, quota = on_sale_performance(house, size=10)
    _use(quota, 10)
    basket = Basket.objects.create(
        house=house, token="b", expires_at=NOW - timedelta(minutes=1)
    )
    for quantity, expires in ((4, NOW - timedelta(minutes=1)), (6, NOW + timedelta(1))):
        Hold.objects.create(
            house=house,
            basket=basket,
            performance=performance,
            tariff=tariff,
            quantity=quantity,
            quota_ids=[quota.pk],
            expires_at=expires,
        )

    result = performance_availability(performance=performance, now=NOW)

    assert (result.available, result.reason) == (4, "on_sale")


def test_many_performances_in_a_fixed_number_of_queries(scoped, house):
    performances = []
    for _ in range(6):
        performance, tariff, quota = on_sale_performance(house, size=10)
        extra = QuotaFactory(performance=performance, size=4)
        extra.categories.set([tariff.category])
        TariffFactory(category=tariff.category)
        performances.append(performance)
    _use(quota, 10)

    with CaptureQueriesContext(connection) as queries:
        result = performances_availability(performances=performances)

    assert len(queries) == 5  # quotas, categories, expired holds, seated ones
    assert [result[p.pk].available for p in performances] == [4] * 5 + [0]
    assert result[performances[-1].pk].sold_out is True
