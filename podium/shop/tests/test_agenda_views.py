"""The agenda pages: list by day, filters by GET, month calendar, a house's agenda."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
)
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _show(house, title, *, days=10, prices=(), size=100, **fields):
    """A public performance `days` from now at 20:00 Brussels time, with tariffs at
    `prices` and one quota of `size` places."""
    hall = fields.pop("hall", None) or HallFactory(house=house, capacity=400)
    starts_at = (timezone.localtime() + timedelta(days=days)).replace(
        hour=20, minute=0, second=0, microsecond=0
    )
    production = ProductionFactory(house=house, title=title)
    performance = PerformanceFactory(
        house=house,
        production=production,
        hall=hall,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        **fields,
    )
    if prices:
        category = PriceCategoryFactory(house=house, production=production)
        for price in prices:
            TariffFactory(category=category, price=Decimal(price))
        QuotaFactory(performance=performance, size=size)
    return performance


def _html(client, url, **params) -> str:
    response = client.get(url, params, **EN)
    assert response.status_code == 200
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return re.findall(r'<h4><a href="[^"]+">([^<]+)</a></h4>', html)


@pytest.fixture
def programme(house, other_house):
    tempest = _show(
        house,
        {"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"},
        prices=("12", "24"),
    )
    _show(other_house, {"nl": "Buurconcert", "en": "Neighbour concert"}, days=11)
    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")
    _show(elsewhere, {"nl": "Andere regio", "en": "Other region"}, days=12)
    _show(
        house,
        {"nl": "Geheim", "en": "Secret"},
        days=13,
        visibility=Performance.Visibility.HIDDEN,
    )
    return tempest


def test_list_shows_the_clusters_public_performances_by_day(client, programme):
    html = _html(client, "/agenda/")

    assert _titles(html) == ["The Tempest", "Neighbour concert"]
    day = timezone.localdate(programme.starts_at)
    assert f'<time datetime="{day:%Y-%m-%d}">{day:%A} {day.day} {day:%B %Y}' in html
    assert "Huis A · " in html
    assert "€ 12–24" in html
    assert "2 performances" in html
    assert f'href="/voorstelling/{programme.pk}/"' in html or (
        f"/house-a/{programme.production.slug}/" in html
    )


def test_search_by_get_ignores_accents(client, programme):
    html = _html(client, "/agenda/", q="TEMPETE")

    assert _titles(html) == ["The Tempest"]
    assert 'value="TEMPETE"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"huis": "house-b"}, ["Neighbour concert"]),
        ({"maxprijs": "15"}, ["The Tempest"]),
        ({"maxprijs": "10"}, []),
        ({"taal": "fr"}, []),
        ({"toegankelijk": "on"}, []),
        ({"leeftijd": "7"}, ["The Tempest", "Neighbour concert"]),
    ],
)
def test_filters_by_get(client, programme, params, expected):
    assert _titles(_html(client, "/agenda/", **params)) == expected


def test_date_filter(client, programme):
    day = timezone.localdate(programme.starts_at)

    html = _html(client, "/agenda/", van=day.isoformat(), tot=day.isoformat())

    assert _titles(html) == ["The Tempest"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"van": "garbage"}, "Enter a valid date."),
        ({"leeftijd": "-3"}, "Ensure this value is greater than or equal to 0."),
        ({"maxprijs": "cheap"}, "Enter a number."),
        ({"huis": "nowhere"}, "Select a valid choice."),
        ({"van": "2020-02-01", "tot": "2020-01-01"}, "must not be before the start"),
    ],
)
def test_bad_filter_input_gives_a_message_not_an_error(
    client, programme, params, message
):
    html = _html(client, "/agenda/", **params)

    assert "Some filters could not be used; see below." in html
    assert message in html
    assert "The Tempest" in html  # the other filters still apply


def test_badges_in_words(client, house):
    _show(house, {"nl": "Te koop", "en": "For sale"}, prices=("10",), size=200)
    _show(house, {"nl": "Bijna vol", "en": "Nearly full"}, prices=("10",), size=8)
    _show(house, {"nl": "Vol", "en": "Full"}, prices=("10",), size=0)
    sales_start = timezone.now() + timedelta(days=3)
    _show(
        house,
        {"nl": "Later", "en": "Later"},
        prices=("10",),
        sales_start=sales_start,
    )
    _show(
        house,
        {"nl": "Geschrapt", "en": "Called off"},
        status=Performance.Status.CANCELLED,
    )

    html = _html(client, "/agenda/")

    for badge in ("On sale", "Few places left", "Sold out", "Cancelled"):
        assert f">{badge}</span>" in html
    day = timezone.localtime(sales_start)
    assert f">Sales start on {day.day} {day:%b}</span>" in html


def test_list_pages_with_a_link_to_later_performances(client, house, monkeypatch):
    monkeypatch.setattr("podium.shop.agenda_views.PAGE_SIZE", 2)
    for days in range(3):
        _show(house, {"nl": f"Stuk {days}", "en": f"Piece {days}"}, days=10 + days)

    first = _html(client, "/agenda/", q="piece")
    second = _html(client, "/agenda/", q="piece", pagina="2")

    assert _titles(first) == ["Piece 0", "Piece 1"]
    assert 'href="?q=piece&amp;pagina=2"' in first
    assert _titles(second) == ["Piece 2"]


def test_calendar_month(client, programme):
    month = timezone.localdate(programme.starts_at).replace(day=1)

    html = _html(client, "/agenda/kalender/", maand=f"{month:%Y-%m}")

    assert f"<caption>{month:%B %Y}</caption>" in html
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in html
    assert "The Tempest</a>" in html
    assert "Other region" not in html
    following = (month + timedelta(days=32)).replace(day=1)
    assert f"maand={following:%Y-%m}" in html


def test_calendar_of_a_month_without_performances(client, programme):
    html = _html(client, "/agenda/kalender/", maand="2099-01")

    assert "<caption>January 2099</caption>" in html
    assert "No performances this month." in html
    assert "maand=2098-12" in html  # a later month links back


@pytest.mark.parametrize("month", ["2026-13", "garbage", "0000-01"])
def test_calendar_with_a_bad_month_shows_this_month_and_says_so(client, cluster, month):
    html = _html(client, "/agenda/kalender/", maand=month)

    assert "That is not a month; here is this month instead." in html
    assert f"<caption>{timezone.localdate():%B %Y}</caption>" in html


def test_house_agenda(client, programme, house):
    html = _html(client, "/huis/house-a/agenda/")

    assert "<h1>Huis A</h1>" in html
    assert _titles(html) == ["The Tempest"]
    assert 'name="huis"' not in html


def test_house_calendar(client, programme):
    month = timezone.localdate(programme.starts_at)

    html = _html(client, "/huis/house-b/agenda/kalender/", maand=f"{month:%Y-%m}")

    assert "<h1>Huis B</h1>" in html
    assert "Neighbour concert</a>" in html
    assert "The Tempest" not in html


@pytest.mark.parametrize("slug", ["elders", "nowhere"])
def test_house_agenda_of_another_cluster_is_not_found(client, programme, slug):
    assert client.get(f"/huis/{slug}/agenda/").status_code == 404


def test_filter_form_is_labelled_and_works_without_javascript(client, programme):
    html = _html(client, "/agenda/")

    assert '<form method="get"' in html
    assert '<label for="id_q">Search</label>' in html
    assert "<summary>Filters</summary>" in html
    assert '<button type="submit">Filter</button>' in html
    assert "<script" not in html.split("</header>")[1]


def test_query_count_does_not_grow_with_the_performances(client, house):
    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            _html(client, "/agenda/")
        return len(queries)

    _show(house, {"nl": "Stuk"}, prices=("10",))
    one = queries_for_the_list()
    for days in range(8):
        _show(house, {"nl": f"Stuk {days}"}, days=11 + days, prices=("10", "20"))
    many = queries_for_the_list()

    assert one == many
    assert many <= 20
