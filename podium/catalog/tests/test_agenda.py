"""The public agenda selector: every filter, the search, scoping and query count."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.catalog.agenda import AgendaFilters, agenda, agenda_facets
from podium.catalog.models import Performance, Production
from podium.catalog.tests.factories import (
    ArtistFactory,
    PerformanceFactory,
    ProductionFactory,
    TaxonomyTermFactory,
    ThemeFactory,
)
from podium.tenancy.models import Cluster
from podium.tenancy.scoping import cluster_scope
from podium.tenancy.tests.factories import (
    ClusterFactory,
    HallFactory,
    HouseFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _show(house, title, *, days=10, hall=None, production=None, **fields):
    production = production or ProductionFactory(house=house, title=title)
    return PerformanceFactory(
        house=house,
        production=production,
        hall=hall or HallFactory(house=house),
        starts_at=NOW + timedelta(days=days),
        ends_at=NOW + timedelta(days=days, hours=2),
        **fields,
    )


def _titles(performances) -> list[str]:
    return [p.production.title["nl"] for p in performances]


def _agenda(where, **filters):
    with _scope(where):
        found = agenda(houses=where, filters=AgendaFilters(**filters), now=NOW)
    return _titles(found)


def _scope(houses):
    """The shop's scope: every house of the cluster (the middleware's)."""
    cluster = houses if isinstance(houses, Cluster) else houses[0].cluster
    return cluster_scope(cluster)


@pytest.fixture
def tempest(house):
    return _show(
        house,
        {
            "nl": "De Storm",
            "fr": "La Tempête",
            "en": "The Tempest",
        },
    )


def test_only_public_coming_performances_of_active_houses(cluster, house, tempest):
    _show(house, {"nl": "Verborgen"}, visibility=Performance.Visibility.HIDDEN)
    _show(house, {"nl": "Enkel met link"}, visibility=Performance.Visibility.UNLISTED)
    _show(house, {"nl": "Voorbij"}, days=-2)
    closed = HouseFactory(cluster=cluster, is_active=False)
    _show(closed, {"nl": "Gesloten huis"})

    assert _agenda(cluster) == ["De Storm"]


def test_cluster_agenda_shows_every_house_and_never_another_cluster(
    cluster, house, other_house, tempest
):
    _show(other_house, {"nl": "Buurconcert"}, days=11)
    elsewhere = HouseFactory(cluster=ClusterFactory())
    _show(elsewhere, {"nl": "Andere regio"}, days=12)

    assert _agenda(cluster) == ["De Storm", "Buurconcert"]
    assert _agenda([house]) == ["De Storm"]
    assert _agenda(cluster, houses=(other_house.slug,)) == ["Buurconcert"]
    assert _agenda(cluster, houses=(elsewhere.slug,)) == []
    assert _agenda(cluster, q="andere") == []


@pytest.mark.parametrize(
    "query",
    ["tempete", "TEMPÊTE", "la tempête", "storm", "De STORM", "tempest", "Tempest!"],
)
def test_search_ignores_accents_and_case_in_every_language(cluster, tempest, query):
    assert _agenda(cluster, q=query) == ["De Storm"]


def test_search_reads_subtitle_and_description_and_needs_every_word(cluster, house):
    production = ProductionFactory(
        house=house,
        title={"nl": "Lichtval"},
        subtitle={"fr": "Un conte d'été"},
        description={"en": "<p>A <strong>dance</strong> piece about Élise.</p>"},
    )
    _show(house, None, production=production)

    assert _agenda(cluster, q="ete") == ["Lichtval"]
    assert _agenda(cluster, q="elise dance") == ["Lichtval"]
    assert _agenda(cluster, q="elise opera") == []


def test_search_finds_artist_names_ignoring_accents(cluster, house, tempest):
    artist = ArtistFactory(house=house, name="Zoë Ångström")
    tempest.production.artists.add(artist)
    _show(house, {"nl": "Iets anders"}, days=11)

    assert _agenda(cluster, q="zoe angstrom") == ["De Storm"]
    assert _agenda(cluster, q="angstrom tempete") == ["De Storm"]
    assert _agenda(cluster, q="angstrom opera") == []


def test_artist_search_stays_in_the_cluster(cluster, house):
    elsewhere = HouseFactory(cluster=ClusterFactory())
    other = _show(elsewhere, {"nl": "Ver weg"})
    other.production.artists.add(ArtistFactory(house=elsewhere, name="Céline"))

    assert _agenda(cluster, q="celine") == []


def test_dates_are_days_in_brussels_inclusive(cluster, house):
    # 23:30 in Brussels on 30 Nov is 22:30 UTC; 00:30 on 1 Dec is 23:30 UTC.
    late = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    for title, start in (("Laat", late), ("Middernacht", late + timedelta(hours=1))):
        PerformanceFactory(
            house=house,
            production=ProductionFactory(house=house, title={"nl": title}),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )

    assert _agenda(cluster, date_to=date(2026, 11, 30)) == ["Laat"]
    assert _agenda(cluster, date_from=date(2026, 12, 1)) == ["Middernacht"]
    assert _agenda(
        cluster, date_from=date(2026, 11, 30), date_to=date(2026, 12, 1)
    ) == ["Laat", "Middernacht"]


def test_discipline_and_genre(cluster, house):
    concert = TaxonomyTermFactory(
        id="0.50.4.0.0", name={"nl": "Concert", "en": "Concert"}
    )
    jazz, folk = ThemeFactory(), ThemeFactory()
    theatre = _show(house, {"nl": "Toneel"})
    music = _show(
        house,
        None,
        production=ProductionFactory(
            house=house, title={"nl": "Muziek"}, event_type=concert
        ),
        days=11,
    )
    music.production.themes.add(jazz, folk)  # two genres: still listed once

    assert _agenda(cluster, disciplines=(concert.pk,)) == ["Muziek"]
    assert _agenda(cluster, disciplines=(theatre.production.event_type_id,)) == [
        "Toneel"
    ]
    assert _agenda(cluster, genres=(jazz.pk, folk.pk)) == ["Muziek"]
    assert _agenda(cluster, genres=(ThemeFactory().pk,)) == []


def test_venue_and_accessible_venue(cluster, house):
    ramp = HallFactory(house=house, venue=VenueFactory(house=house))
    ramp.venue.wheelchair_accessible = True
    ramp.venue.save()
    stairs = HallFactory(house=house)
    _show(house, {"nl": "Gelijkvloers"}, hall=ramp)
    _show(house, {"nl": "Boven"}, hall=stairs, days=11)

    assert _agenda(cluster, accessible=True) == ["Gelijkvloers"]
    assert _agenda(cluster, venue=stairs.venue_id) == ["Boven"]


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (3, ["Voor iedereen", "Peuters"]),
        (8, ["Voor iedereen", "Kinderen"]),
        (12, ["Voor iedereen", "Kinderen", "Vanaf 12"]),
        (30, ["Voor iedereen", "Vanaf 12"]),
    ],
)
def test_age_fits_the_range(cluster, house, age, expected):
    for days, (title, low, high) in enumerate(
        [
            ("Voor iedereen", None, None),
            ("Peuters", 2, 4),
            ("Kinderen", 6, 12),
            ("Vanaf 12", 12, None),
        ]
    ):
        _show(
            house,
            None,
            days=10 + days,
            production=ProductionFactory(
                house=house, title={"nl": title}, age_min=low, age_max=high
            ),
        )

    assert _agenda(cluster, age=age) == expected


def test_language(cluster, house):
    _show(house, {"nl": "Nederlandstalig"})
    _show(
        house,
        None,
        days=11,
        production=ProductionFactory(
            house=house, title={"nl": "Frans"}, language=Production.Language.FRENCH
        ),
    )

    assert _agenda(cluster, language="fr") == ["Frans"]
    assert _agenda(cluster, language="nl") == ["Nederlandstalig"]


def test_filters_combine(cluster, house, other_house, tempest):
    _show(other_house, {"nl": "De Storm", "fr": "La Tempête"}, days=11)

    with _scope(cluster):
        found = agenda(
            houses=cluster,
            filters=AgendaFilters(q="tempete", houses=(other_house.slug,)),
            now=NOW,
        )

    assert [p.house for p in found] == [other_house]


def test_query_count_does_not_grow_with_the_performances(cluster, house, other_house):
    def count_queries():
        with _scope(cluster), CaptureQueriesContext(connection) as queries:
            found = agenda(houses=cluster, filters=AgendaFilters(q="show"), now=NOW)
            read = [  # what the pages read of each
                (
                    performance.production.title,
                    performance.production.event_type.name,
                    performance.hall.venue.name,
                    performance.house.name,
                )
                for performance in found
            ]
        return len(queries), len(read)

    _show(house, {"nl": "Show 1"})
    few = count_queries()
    for day in range(8):
        hall = HallFactory(house=other_house)
        _show(other_house, {"nl": f"Show {day}"}, days=12 + day, hall=hall)
    many = count_queries()

    assert few[1] == 1
    assert many[1] == 9
    assert few[0] == many[0] == 2  # the cluster's artists, the performances


def test_facets_list_what_is_on(cluster, house, other_house):
    concert = TaxonomyTermFactory(id="0.50.4.0.0", name={"nl": "Concert"})
    jazz = ThemeFactory(name={"nl": "Jazz"})
    music = _show(
        house,
        None,
        production=ProductionFactory(house=house, event_type=concert),
    )
    music.production.themes.add(jazz)
    _show(other_house, {"nl": "Voorbij"}, days=-3)
    ThemeFactory(name={"nl": "Ongebruikt"})

    with _scope(cluster):
        facets = agenda_facets(houses=cluster, now=NOW)

    assert facets.houses == [house]
    assert facets.venues == [music.hall.venue]
    assert facets.disciplines == [concert]
    assert facets.genres == [jazz]


def test_now_defaults_to_the_current_time(cluster, house):
    PerformanceFactory(
        house=house,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )

    with _scope(cluster):
        assert len(agenda(houses=cluster, filters=AgendaFilters())) == 1
