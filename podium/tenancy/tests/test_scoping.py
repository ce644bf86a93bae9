import pytest
from django_scopes import ScopeError

from podium.tenancy.models import Hall, Venue
from podium.tenancy.scoping import (
    cluster_scope,
    house_scope,
    no_house_scope,
    platform_scope,
)
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory

UNSCOPED_QUERIES = {
    "all": lambda m: list(m.objects.all()),
    "filter": lambda m: list(m.objects.filter(pk=1)),
    "get": lambda m: m.objects.get(pk=1),
    "count": lambda m: m.objects.count(),
    "first": lambda m: m.objects.first(),
    "exists": lambda m: m.objects.exists(),
    "exclude-exists": lambda m: m.objects.exclude(pk=0).exists(),
    "in_bulk": lambda m: m.objects.in_bulk([1]),
    "values": lambda m: list(m.objects.values_list("pk", flat=True)),
    "update": lambda m: m.objects.update(name="x"),
    "delete": lambda m: m.objects.all().delete(),
}


@pytest.fixture
def halls(house, other_house):
    return HallFactory(house=house), HallFactory(house=other_house)


@pytest.mark.parametrize("query", list(UNSCOPED_QUERIES))
@pytest.mark.parametrize("model", [Venue, Hall])
def test_query_without_a_scope_fails_loudly(halls, model, query):
    with pytest.raises(ScopeError):
        UNSCOPED_QUERIES[query](model)

    with platform_scope():
        assert model.objects.count() == 2  # nothing was changed


def test_house_scope_hides_the_other_houses_halls_and_venues(halls, house):
    hall_a, hall_b = halls

    with house_scope(house):
        assert list(Hall.objects.all()) == [hall_a]
        assert list(Venue.objects.all()) == [hall_a.venue]
        assert Hall.objects.filter(pk=hall_b.pk).exists() is False
        assert list(hall_b.venue.halls.all()) == []
        with pytest.raises(Hall.DoesNotExist):
            Hall.objects.get(pk=hall_b.pk)


def test_cluster_scope_sees_only_active_houses_of_that_cluster(halls, house, cluster):
    # given a house elsewhere and a closed house in the same cluster, each with a hall
    elsewhere = HallFactory(house=HouseFactory(cluster=ClusterFactory()))
    HallFactory(house=HouseFactory(cluster=cluster, is_active=False))

    with cluster_scope(cluster):
        seen = set(Hall.objects.all())

    assert seen == set(halls)
    assert elsewhere not in seen


def test_no_house_scope_sees_nothing(halls):
    with no_house_scope():
        assert list(Hall.objects.all()) == []
        assert list(Venue.objects.all()) == []
        assert Hall.objects.exists() is False


def test_platform_scope_sees_every_house(halls):
    with platform_scope():
        assert set(Hall.objects.all()) == set(halls)
