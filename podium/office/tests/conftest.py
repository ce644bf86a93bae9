"""House A with a production, a performance, an artist and taxonomy terms; and, for
the sales screens, a performance on sale with prices, a quota and two orders."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from podium.catalog.models import Performance, Production, TaxonomyTerm
from podium.catalog.tests.factories import (
    ArtistFactory,
    PerformanceFactory,
    ProductionFactory,
    TaxonomyTermFactory,
)
from podium.sales.models import (
    Order,
    PerformanceCancellation,
    PriceCategory,
    Quota,
    Tariff,
)
from podium.sales.services.orders import order_mark_paid
from podium.sales.tests.factories import buy, on_sale_performance
from podium.tenancy.models import Hall, House

from .helpers import next_weekday


@dataclass
class World:
    house: House
    hall: Hall
    production: Production
    performance: Performance
    discipline: TaxonomyTerm
    theme: TaxonomyTerm


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def discipline(db):
    return TaxonomyTermFactory()


@pytest.fixture
def theme(db):
    return TaxonomyTermFactory(
        id="1.8.3.1.0",
        domain=TaxonomyTerm.Domain.THEME,
        name={"nl": "Jazz", "fr": "Jazz", "en": "Jazz"},
    )


@pytest.fixture
def world(house, hall, discipline, theme):
    production = ProductionFactory(
        house=house,
        title={"nl": "Hamlet", "en": "Hamlet (EN)"},
        event_type=discipline,
        tags=["klassiek"],
    )
    production.themes.set([theme])
    production.artists.set([ArtistFactory(house=house, name="Toneelgroep A")])
    performance = PerformanceFactory(
        house=house,
        production=production,
        hall=hall,
        starts_at=next_weekday(0),
        ends_at=next_weekday(0) + timedelta(minutes=90),
        status=Performance.Status.PLANNED,
    )
    return World(house, hall, production, performance, discipline, theme)


@dataclass
class Sales:
    performance: Performance
    category: PriceCategory
    tariff: Tariff
    quota: Quota
    paid: Order
    pending: Order
    job: PerformanceCancellation
    paid_tickets: list[int]


@pytest.fixture
def sales(world):
    """On sale: one category, a 20 EUR tariff, 100 places; 2 tickets paid, 1 pending."""
    performance, tariff, quota = on_sale_performance(world.house, size=100)
    paid = buy(
        world.house, performance, tariff, quantity=2, buyer_email="an@example.be"
    )
    order_mark_paid(order=paid)
    pending = buy(
        world.house,
        performance,
        tariff,
        buyer_name="Bert Claes",
        buyer_email="bert@example.be",
    )
    job = PerformanceCancellation.objects.create(
        house=world.house,
        performance=world.performance,
        state=PerformanceCancellation.State.RUNNING,
        orders_total=4,
        orders_done=1,
        message="Ziekte",
    )
    quota.refresh_from_db()
    paid_tickets = sorted(paid.tickets.values_list("pk", flat=True))
    return Sales(
        performance, tariff.category, tariff, quota, paid, pending, job, paid_tickets
    )
