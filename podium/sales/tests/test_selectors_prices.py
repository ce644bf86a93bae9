"""Price lists in batch (`price_lists`) agree with the one-performance rule."""

from decimal import Decimal

import pytest

from podium.catalog.tests.factories import PerformanceFactory
from podium.sales.models import Tariff
from podium.sales.selectors import price_lists
from podium.sales.services.pricing import price_list, price_list_customize
from podium.sales.tests.factories import TariffFactory, on_sale_performance

pytestmark = pytest.mark.django_db


@pytest.fixture
def performances(house):
    """Shared: the production's list (with an inactive tariff in it); own: a
    customised copy at another price; bare: a production without any tariff."""
    shared, tariff, _quota = on_sale_performance(house)
    inactive = TariffFactory(category=tariff.category, is_active=False)
    own = PerformanceFactory(house=house, production=shared.production)
    price_list_customize(house=house, actor=None, performance=own)
    own_tariff = Tariff.objects.get(performance=own, is_active=True)
    own_tariff.price = Decimal("5.00")
    own_tariff.save()
    bare = PerformanceFactory(house=house)
    return {
        "shared": shared,
        "own": own,
        "bare": bare,
        "tariff": tariff,
        "inactive": inactive,
        "own_tariff": own_tariff,
    }


def test_batched_price_lists_equal_the_single_price_list(scoped, performances):
    shared, own, bare = (performances[k] for k in ("shared", "own", "bare"))

    batched = price_lists(performances=[shared, own, bare])

    assert batched == {p.pk: price_list(performance=p) for p in (shared, own, bare)}
    assert batched == {
        shared.pk: [performances["tariff"]],
        own.pk: [performances["own_tariff"]],
        bare.pk: [],
    }
    assert batched[own.pk][0].price == Decimal("5.00")


def test_price_lists_take_one_query_however_many_performances(
    scoped, performances, django_assert_num_queries
):
    many = [performances["shared"], performances["own"], performances["bare"]]
    many += [
        PerformanceFactory(house=scoped, production=performances["shared"].production)
        for _n in range(5)
    ]

    with django_assert_num_queries(1):
        one = price_lists(performances=many[:1])
    with django_assert_num_queries(1):
        eight = price_lists(performances=many)
    with django_assert_num_queries(0):
        none = price_lists(performances=[])

    assert one == {many[0].pk: [performances["tariff"]]}
    assert len(eight) == 8
    assert all(eight[p.pk] == [performances["tariff"]] for p in many[3:])
    # The category comes along: reading it queries nothing more.
    with django_assert_num_queries(0):
        assert {t.category.pk for t in eight[many[0].pk]} == {
            performances["tariff"].category_id
        }
    assert none == {}


def test_a_customised_list_with_every_tariff_off_sells_nothing(scoped, performances):
    own = performances["own"]
    Tariff.objects.filter(performance=own).update(is_active=False)

    assert price_lists(performances=[own]) == {own.pk: []}
    assert price_list(performance=own) == []
