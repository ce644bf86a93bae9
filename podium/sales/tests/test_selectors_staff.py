"""The staff reads (getters for the office): another house's rows are not found."""

import pytest

from podium.core.errors import NotFound
from podium.sales import selectors
from podium.sales.models import PerformanceCancellation
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.scoping import house_scope

pytestmark = pytest.mark.django_db


def _rows(house):
    performance, tariff, quota = on_sale_performance(house)
    with house_scope(house):
        order = buy(house, performance, tariff)
    job = PerformanceCancellation.objects.create(house=house, performance=performance)
    # getter → (its arguments, the row it should return)
    return {
        "tariff_get": ({"pk": tariff.pk}, tariff),
        "quota_get": ({"pk": quota.pk}, quota),
        "order_get_detailed": ({"code": f" {order.code.lower()} "}, order),
        "performance_cancellation_get": ({"pk": job.pk}, job),
    }


@pytest.fixture
def mine(house):
    return _rows(house)


@pytest.fixture
def theirs(other_house):
    return _rows(other_house)


GETTERS = [
    "tariff_get",
    "quota_get",
    "order_get_detailed",
    "performance_cancellation_get",
]


@pytest.mark.parametrize("getter", GETTERS)
def test_a_getter_finds_the_houses_own_row(scoped, mine, getter):
    arguments, row = mine[getter]

    found = getattr(selectors, getter)(house=scoped, **arguments)

    assert found == row


@pytest.mark.parametrize("getter", GETTERS)
def test_a_getter_does_not_find_another_houses_row(scoped, mine, theirs, getter):
    with pytest.raises(NotFound):
        getattr(selectors, getter)(house=scoped, **theirs[getter][0])
