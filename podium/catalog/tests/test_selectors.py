from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from podium.catalog.selectors import (
    performance_get,
    production_get,
    production_list,
    public_performances,
)
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.core.errors import NotFound
from podium.tenancy.scoping import cluster_scope, house_scope, platform_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def _show(house, *, days=7, hours=2, **kwargs):
    starts_at = NOW + timedelta(days=days)
    return PerformanceFactory(
        house=house,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **kwargs,
    )


@pytest.fixture
def agenda(house, other_house):
    """What the public should and should not see, by name."""
    return {
        "a-next-week": _show(house, days=7),
        "b-tomorrow": _show(other_house, days=1),
        "a-playing-now": _show(house, days=0, hours=2),
        "a-cancelled": _show(house, days=3, status="cancelled"),
        "a-hidden": _show(house, visibility="hidden"),
        "a-unlisted": _show(house, visibility="unlisted"),
        "a-past": _show(house, days=-1),
        "elsewhere": _show(HouseFactory(cluster=ClusterFactory())),
        "closed-house": _show(HouseFactory(cluster=house.cluster, is_active=False)),
    }


def test_public_performances_of_a_cluster_are_public_and_still_to_come(agenda, cluster):
    with cluster_scope(cluster):
        shown = list(public_performances(houses=cluster, now=NOW))

    assert shown == [
        agenda["a-playing-now"],
        agenda["b-tomorrow"],
        agenda["a-cancelled"],  # shown, so that visitors learn it is cancelled
        agenda["a-next-week"],
    ]


def test_public_performances_of_chosen_houses_leave_the_others_out(
    agenda, cluster, house
):
    with cluster_scope(cluster):
        shown = list(public_performances(houses=[house], now=NOW))

    assert shown == [
        agenda["a-playing-now"],
        agenda["a-cancelled"],
        agenda["a-next-week"],
    ]


def test_production_get_of_another_house_is_not_found_even_without_a_scope(
    house, other_house
):
    theirs = ProductionFactory(house=other_house)

    # the explicit house filter holds even where the scope would let it through
    with platform_scope(), pytest.raises(NotFound) as raised:
        production_get(house=house, pk=theirs.pk)

    assert raised.value.code == "not_found"


def test_production_get_of_a_missing_one_says_the_same(scoped):
    with pytest.raises(NotFound) as raised:
        production_get(house=scoped, pk=999_999)

    assert str(raised.value) == "Production not found."


def test_production_get_and_list_return_the_houses_own(scoped, other_house):
    ours = ProductionFactory(house=scoped)
    ProductionFactory(house=other_house)

    assert production_get(house=scoped, pk=ours.pk) == ours
    assert list(production_list(house=scoped)) == [ours]


def test_performance_get_of_another_house_is_not_found(house, other_house):
    theirs = PerformanceFactory(house=other_house)

    with house_scope(house), pytest.raises(NotFound):
        performance_get(house=house, pk=theirs.pk)
    with platform_scope(), pytest.raises(NotFound):
        performance_get(house=house, pk=theirs.pk)
