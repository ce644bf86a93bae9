"""Alternatives for a sold-out performance or lost tickets: other dates on sale and
similar productions of the cluster's other houses, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.catalog.models import Performance
from podium.catalog.tests.factories import (
    PerformanceFactory,
    ProductionFactory,
    TaxonomyTermFactory,
)
from podium.sales.alternatives import alternatives_for
from podium.sales.models import Quota
from podium.sales.tests.factories import QuotaFactory, on_sale_performance
from podium.tenancy.scoping import cluster_scope, house_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

pytestmark = pytest.mark.django_db


def _date(performance, size=10, **fields):
    other = PerformanceFactory(
        house=performance.house,
        production=performance.production,
        hall=performance.hall,
        **fields,
    )
    QuotaFactory(performance=other, size=size)
    return other


def test_other_dates_on_sale_and_similar_shows_of_other_houses(
    house, other_house, cluster
):
    with cluster_scope(cluster):
        # Given a sold-out performance with three more dates, one of them sold out
        # and one not public
        performance, _tariff, quota = on_sale_performance(house, size=2)
        Quota.objects.filter(pk=quota.pk).update(used=2)
        later = _date(performance)
        full = _date(performance)
        Quota.objects.filter(performance=full).update(used=10)
        _date(performance, visibility=Performance.Visibility.HIDDEN)
        # and a theatre show at the other house (twice), a concert there, a theatre show
        # at the same house and one in another cluster
        theatre, _t, _q = on_sale_performance(other_house)
        _date(theatre)
        concert = TaxonomyTermFactory(id="0.50.4.0.0", name={"nl": "Concert"})
        concert_show = PerformanceFactory(
            house=other_house,
            production=ProductionFactory(house=other_house, event_type=concert),
        )
        QuotaFactory(performance=concert_show, size=10)
        on_sale_performance(house)
        elsewhere = HouseFactory(cluster=ClusterFactory(slug="elders"))
        with house_scope(elsewhere):
            on_sale_performance(elsewhere)

        # When the alternatives are asked
        with CaptureQueriesContext(connection) as queries:
            found = alternatives_for(performance=performance, houses=cluster)

        # Then the dates on sale and one entry per similar production elsewhere
        assert [a.performance for a in found.other_dates] == [later]
        assert [a.performance for a in found.similar] == [theatre]
        assert found.other_dates[0].availability.available == 10
        assert len(queries) <= 9


def test_the_number_of_queries_does_not_grow_with_the_dates(
    house, other_house, cluster
):
    with cluster_scope(cluster):
        performance, _tariff, _quota = on_sale_performance(house)
        _date(performance)
        with CaptureQueriesContext(connection) as few:
            alternatives_for(performance=performance, houses=cluster)
        for _n in range(6):
            _date(performance)
            on_sale_performance(other_house)

        with CaptureQueriesContext(connection) as many:
            found = alternatives_for(performance=performance, houses=cluster, limit=3)

        assert len(many) == len(few)
        assert (len(found.other_dates), len(found.similar)) == (3, 3)


def test_nothing_on_sale_is_no_alternatives(house, cluster):
    with cluster_scope(cluster):
        performance, _tariff, _quota = on_sale_performance(house)

        found = alternatives_for(performance=performance, houses=cluster)

        assert not found
        assert (found.other_dates, found.similar) == ([], [])
