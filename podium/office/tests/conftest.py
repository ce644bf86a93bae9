"""House A with a production, a performance, an artist and taxonomy terms."""

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
