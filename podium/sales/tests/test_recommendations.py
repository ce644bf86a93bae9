"""'You may also like': co-purchases first, then the same genre or discipline."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import (
    PerformanceFactory,
    ProductionFactory,
    TaxonomyTermFactory,
    ThemeFactory,
)
from podium.customers.models import Customer
from podium.sales.recommendations import recommended_productions
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
    buy,
)
from podium.tenancy.scoping import cluster_scope, platform_scope
from podium.tenancy.tests.factories import ClusterFactory, HouseFactory

pytestmark = pytest.mark.django_db

CONCERT = "0.50.4.0.0"


def _show(house, title, days=10, event_type=None, **fields):
    with platform_scope():  # given: data across tenants, as a fixture would set up
        return _create_show(house, title, days, event_type, **fields)


def _create_show(house, title, days, event_type, **fields):
    production = ProductionFactory(
        house=house,
        title={"nl": title},
        event_type=event_type or TaxonomyTermFactory(id=CONCERT),
    )
    performance = PerformanceFactory(
        house=house,
        production=production,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days),
        **fields,
    )
    category = PriceCategoryFactory(house=house, production=production)
    tariff = TariffFactory(category=category, price=Decimal("10.00"))
    QuotaFactory(performance=performance, size=50)
    production.tariff, production.performance = tariff, performance
    return production


def _bought(house, *productions, paid=True, **buyer):
    with platform_scope():
        _buy(productions, paid, buyer)


def _buy(productions, paid, buyer):
    for production in productions:
        order = buy(
            production.house, production.performance, production.tariff, **buyer
        )
        if paid:
            order_mark_paid(order=order)


def _titles(production, cluster, **kwargs) -> list[str]:
    with cluster_scope(cluster):
        found = recommended_productions(production=production, houses=cluster, **kwargs)
    return [p.title["nl"] for p in found]


@pytest.fixture
def theatre(db):
    return TaxonomyTermFactory()  # theatre: not the concerts' discipline


def test_ranked_by_how_many_buyers_also_bought(house, other_house, cluster, theatre):
    storm = _show(house, "De Storm", event_type=theatre)
    jazz = _show(house, "Jazz", days=20)
    film = _show(other_house, "Film", days=15)
    _show(house, "Niemand", days=5)  # a concert nobody bought: only a fallback
    _bought(house, storm, jazz, film, buyer_email="an@example.be")
    _bought(house, storm, jazz, buyer_email="bo@example.be")

    assert _titles(storm, cluster) == ["Jazz", "Film"]


def test_the_same_customer_counts_whatever_the_email(house, cluster, theatre):
    with platform_scope():
        customer = Customer.objects.create(cluster=cluster, name="Cas")
    storm = _show(house, "De Storm", event_type=theatre)
    jazz = _show(house, "Jazz")
    _bought(house, storm, buyer_email="cas@example.be", customer=customer)
    _bought(house, jazz, buyer_email="cas@work.example", customer=customer)

    assert _titles(storm, cluster) == ["Jazz"]


def test_unpaid_orders_do_not_count(house, cluster, theatre):
    storm = _show(house, "De Storm", event_type=theatre)
    jazz = _show(house, "Jazz")
    _bought(house, storm, buyer_email="an@example.be")
    _bought(house, jazz, buyer_email="an@example.be", paid=False)

    assert _titles(storm, cluster) == []


def test_falls_back_to_the_same_genre_then_the_discipline_soonest_first(house, cluster):
    ballad = ThemeFactory()
    storm = _show(house, "De Storm")
    with platform_scope():
        storm.themes.set([ballad])
    _show(house, "Laat concert", days=40)
    _show(house, "Vroeg concert", days=3)
    same_genre = _show(house, "Ballade", days=50, event_type=TaxonomyTermFactory())
    with platform_scope():
        same_genre.themes.set([ballad])
    _show(house, "Toneel", days=2, event_type=TaxonomyTermFactory())  # nothing shared
    bought = _show(house, "Gekocht", days=60, event_type=TaxonomyTermFactory())
    _bought(house, storm, bought, buyer_email="an@example.be")

    assert _titles(storm, cluster) == [
        "Gekocht",
        "Ballade",
        "Vroeg concert",
        "Laat concert",
    ]


def test_excludes_past_private_foreign_and_itself(house, cluster, theatre):
    storm = _show(house, "De Storm")
    past = _show(house, "Voorbij")
    with platform_scope():
        Performance.objects.filter(pk=past.performance.pk).update(
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=2) + timedelta(hours=2),
        )
    _show(house, "Geheim", visibility=Performance.Visibility.HIDDEN)
    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")
    foreign = _show(elsewhere, "Verweg")
    _bought(house, storm, buyer_email="an@example.be")
    _bought(elsewhere, foreign, buyer_email="an@example.be")

    assert _titles(storm, cluster) == []


def test_at_most_limit(house, cluster):
    storm = _show(house, "De Storm")
    for day in range(6):
        _show(house, f"Concert {day}", days=day + 1)

    assert _titles(storm, cluster) == [f"Concert {day}" for day in range(4)]
    assert _titles(storm, cluster, limit=2) == ["Concert 0", "Concert 1"]


def test_one_query(house, cluster, django_assert_num_queries):
    storm = _show(house, "De Storm")
    _show(house, "Jazz")

    with cluster_scope(cluster):
        houses = list(cluster.houses.all())
        with django_assert_num_queries(1):
            recommended_productions(production=storm, houses=houses)
