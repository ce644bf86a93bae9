"""The public start page: the cluster's houses and its coming public performances."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.tenancy.tests.factories import (
    ClusterFactory,
    HallFactory,
    HouseFactory,
)

pytestmark = pytest.mark.django_db


def _performance(house, hall, title, days=10, **fields):
    production = ProductionFactory(house=house, title={"nl": title, "en": title})
    return PerformanceFactory(
        house=house,
        production=production,
        hall=hall,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=days),
        **fields,
    )


@pytest.fixture
def programme(house, hall, other_house):
    """One public and one hidden performance, and one of a house in another cluster."""
    _performance(house, hall, "Zichtbaar stuk")
    _performance(
        house,
        hall,
        "Geheime try-out",
        days=11,
        visibility=Performance.Visibility.HIDDEN,
    )
    _performance(
        other_house, HallFactory(house=other_house), "Buurhuisconcert", days=12
    )
    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")
    _performance(elsewhere, HallFactory(house=elsewhere), "Andere regio", days=13)


def test_home_shows_public_performances_of_the_cluster_only(client, programme):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Zichtbaar stuk" in html
    assert "Buurhuisconcert" in html
    assert "Geheime try-out" not in html
    assert "Andere regio" not in html


def test_home_lists_the_clusters_houses_with_type_and_city(client, house, other_house):
    response = client.get("/")

    html = response.content.decode()
    assert "Huis A" in html
    assert "Huis B" in html
    assert "Cultuurcentrum · Gent" in html
    assert house.brand_colour in html


def test_home_shows_time_in_brussels_and_groups_by_month(client, house, hall):
    starts_at = datetime(2027, 1, 15, 19, 0, tzinfo=UTC)  # 20:00 in Brussels
    PerformanceFactory(
        house=house,
        hall=hall,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )

    html = client.get("/").content.decode()

    assert '<time datetime="2027-01-15T20:00:00+01:00">' in html
    assert re.search(r'<h3 id="month-2027-01">\s*[Jj]anuari 2027', html)


def test_home_shows_the_status_as_text(client, house, hall):
    _performance(house, hall, "Uitverkocht stuk", status=Performance.Status.SOLD_OUT)

    html = client.get("/").content.decode()

    assert '<span class="status status-sold_out">Uitverkocht</span>' in html


def test_home_is_accessible_by_structure(client, programme):
    html = client.get("/").content.decode()

    assert re.search(r'<html lang="nl">', html)
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_home_without_performances_says_so(client, house):
    html = client.get("/").content.decode()

    assert "Er zijn nog geen voorstellingen aangekondigd." in html


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow_with_performances(
    client, django_assert_max_num_queries, house, other_house, hall, count
):
    other_hall = HallFactory(house=other_house)
    for day in range(count):
        _performance(
            house if day % 2 else other_house,
            hall if day % 2 else other_hall,
            f"Stuk {day}",
            days=day + 1,
        )

    # The tenant middleware (cluster and its houses: 3), the houses, the performances.
    with django_assert_max_num_queries(5):
        response = client.get("/")

    assert response.content.decode().count('class="card performance"') == count


@pytest.mark.parametrize(
    ("accept_language", "heading", "status"),
    [
        (None, "Onze huizen", "In verkoop"),
        ("fr-BE,fr;q=0.9", "Nos maisons", "En vente"),
        ("en-GB,en;q=0.9", "Our houses", "On sale"),
    ],
)
def test_home_speaks_dutch_first_and_the_visitors_french_or_english(
    client, programme, accept_language, heading, status
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    html = client.get("/", **headers).content.decode()

    assert heading in html
    assert f">{status}</span>" in html
