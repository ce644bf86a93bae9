"""House B's catalogue is invisible from house A, also through related managers."""

import pytest
from django_scopes import ScopeError

from podium.catalog.models import (
    Artist,
    Performance,
    PressQuote,
    Production,
    ProductionImage,
    VideoLink,
)
from podium.catalog.tests.factories import (
    ArtistFactory,
    PerformanceFactory,
    PressQuoteFactory,
    ProductionImageFactory,
    VideoLinkFactory,
)
from podium.tenancy.scoping import house_scope, platform_scope

MODELS = [Production, Performance, Artist, ProductionImage, VideoLink, PressQuote]
UNSCOPED_QUERIES = {
    "all": lambda m: list(m.objects.all()),
    "filter": lambda m: list(m.objects.filter(pk=1)),
    "get": lambda m: m.objects.get(pk=1),
    "count": lambda m: m.objects.count(),
    "exists": lambda m: m.objects.exists(),
    "in_bulk": lambda m: m.objects.in_bulk(),
    "delete": lambda m: m.objects.all().delete(),
}


@pytest.fixture
def catalogue(house, other_house):
    """One of everything in A and in B."""
    made = {}
    for key, owner in (("a", house), ("b", other_house)):
        performance = PerformanceFactory(house=owner)
        production = performance.production
        artist = ArtistFactory(house=owner)
        production.artists.add(artist)
        made[key] = {
            "performance": performance,
            "production": production,
            "hall": performance.hall,
            "artist": artist,
            "image": ProductionImageFactory(production=production),
            "video": VideoLinkFactory(production=production),
            "quote": PressQuoteFactory(production=production),
        }
    return made


@pytest.mark.parametrize("query", list(UNSCOPED_QUERIES))
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_catalogue_query_without_a_scope_raises_scope_error(catalogue, model, query):
    with pytest.raises(ScopeError):
        UNSCOPED_QUERIES[query](model)

    with platform_scope():
        assert model.objects.count() == 2


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_house_scope_shows_only_the_houses_own_rows(catalogue, house, model):
    with house_scope(house):
        rows = list(model.objects.all())

    assert len(rows) == 1
    assert rows[0].house_id == house.pk


def test_house_scope_hides_the_other_house_through_related_managers(
    catalogue, house, other_house
):
    b = catalogue["b"]

    with house_scope(house):
        assert list(b["production"].performances.all()) == []
        assert list(b["production"].images.all()) == []
        assert list(b["production"].videos.all()) == []
        assert list(b["production"].press_quotes.all()) == []
        assert list(b["production"].artists.all()) == []
        assert list(b["hall"].performances.all()) == []
        assert list(b["artist"].productions.all()) == []
        assert list(other_house.productions.all()) == []
        assert list(other_house.performances.all()) == []
        assert b["production"].performances.exists() is False
        with pytest.raises(Production.DoesNotExist):
            Production.objects.get(pk=b["production"].pk)
        # A's own related rows are there
        assert list(catalogue["a"]["production"].performances.all()) == [
            catalogue["a"]["performance"]
        ]
