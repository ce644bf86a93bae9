"""A production's public page: content in the visitor's language, every coming
performance with status, price range and calendar file, schema.org data and sharing."""

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from podium.catalog.models import Performance
from podium.catalog.tests.factories import (
    ArtistFactory,
    PerformanceFactory,
    PressQuoteFactory,
    ProductionFactory,
    ProductionImageFactory,
    ThemeFactory,
    VideoLinkFactory,
)
from podium.sales.tests.factories import (
    PriceCategoryFactory,
    QuotaFactory,
    TariffFactory,
)
from podium.tenancy.tests.factories import ClusterFactory, HallFactory, HouseFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture(autouse=True)
def _no_cached_recommendations():
    cache.clear()


def _days(n: int) -> datetime:
    return timezone.now().replace(microsecond=0) + timedelta(days=n)


@pytest.fixture
def production(house, hall):
    hall.venue.wheelchair_accessible = True
    hall.venue.access_info = {"nl": "Tram 4, halte Zuid.", "en": "Tram 4, stop Zuid."}
    hall.venue.save()
    production = ProductionFactory(
        house=house,
        title={"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"},
        subtitle={"nl": "naar Shakespeare"},
        description={
            "nl": "<p>Een <strong>schipbreuk</strong>.</p>",
            "fr": "<p>Un <strong>naufrage</strong>.</p>",
        },
        age_min=12,
        duration_minutes=110,
    )
    production.themes.set([ThemeFactory(name={"nl": "Klassiek", "en": "Classics"})])
    production.artists.set(
        [ArtistFactory(house=house, name="Tafeltheater", bio={"nl": "Een collectief."})]
    )
    PressQuoteFactory(
        production=production, quote={"nl": "Stormachtig."}, source="De Gazet"
    )
    VideoLinkFactory(production=production, url="https://www.youtube.com/watch?v=x1")
    category = PriceCategoryFactory(house=house, production=production)
    TariffFactory(category=category, price=Decimal("24.00"))
    TariffFactory(category=category, price=Decimal("12.00"), kind="under_26")
    TariffFactory(category=category, price=Decimal("0.00"), kind="invitation")
    return production


def _performance(production, hall, days, size=100, **fields):
    performance = PerformanceFactory(
        house=production.house,
        production=production,
        hall=hall,
        starts_at=_days(days),
        **fields,
    )
    QuotaFactory(performance=performance, size=size)
    return performance


def _url(production):
    return f"/{production.house.slug}/{production.slug}/"


def test_the_page_lives_at_a_readable_address(production):
    assert production.slug == "de-storm"
    assert reverse("shop:production", args=["house-a", "de-storm"]) == _url(production)


@pytest.mark.parametrize(
    ("language", "title", "description", "bio"),
    [
        ("nl", "De Storm", "schipbreuk", "Een collectief."),
        ("fr", "La Tempête", "naufrage", "Een collectief."),  # bio: Dutch fallback
        ("en", "The Tempest", "schipbreuk", "Een collectief."),  # text: Dutch fallback
    ],
)
def test_content_in_the_visitors_language_with_dutch_fallback(
    client, production, hall, language, title, description, bio
):
    _performance(production, hall, 10)

    response = client.get(_url(production), HTTP_ACCEPT_LANGUAGE=language)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title} · Huis A</title>" in html
    assert f"<strong>{description}</strong>" in html
    assert bio in html
    assert "naar Shakespeare" in html
    assert "<cite>De Gazet</cite>" in html
    assert "Tafeltheater" in html
    assert 'href="https://www.youtube.com/watch?v=x1"' in html
    assert "<iframe" not in html


def test_practical_information(client, production, hall):
    _performance(production, hall, 10)

    html = client.get(_url(production), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "110 minutes" in html
    assert "From 12 years" in html
    assert "Wheelchair accessible: yes" in html
    assert "Tram 4, stop Zuid." in html
    assert hall.venue.name in html
    assert (
        "https://www.openstreetmap.org/search?query=Kerkstraat%202%2C%209000%20Gent"
        in html
    )


def test_head_has_description_and_open_graph(client, production, hall):
    _performance(production, hall, 10)
    ProductionImageFactory(production=production, image="productions/storm.jpg")

    html = client.get(_url(production), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert '<meta name="description" content="Een schipbreuk.">' in html
    assert '<meta property="og:title" content="De Storm">' in html
    assert (
        '<meta property="og:url" content="http://testserver/house-a/de-storm/">' in html
    )
    assert (
        '<meta property="og:image" content="http://testserver/media/productions/storm.jpg">'
        in html
    )
    assert 'alt="Twee acteurs op een leeg podium"' in html


def test_unknown_slug_is_not_found(client, production, hall):
    _performance(production, hall, 10)

    assert client.get("/house-a/de-orkaan/").status_code == 404
    assert client.get("/house-x/de-storm/").status_code == 404


def test_a_house_of_another_cluster_is_not_found(client, cluster):
    elsewhere = HouseFactory(cluster=ClusterFactory(), slug="elders")
    foreign = ProductionFactory(house=elsewhere, title={"nl": "Verweg"})
    PerformanceFactory(house=elsewhere, production=foreign)

    assert client.get("/elders/verweg/").status_code == 404
    assert client.get(f"/productie/{foreign.pk}/").status_code == 404


def test_a_production_with_only_hidden_performances_is_not_found(
    client, production, hall
):
    _performance(production, hall, 10, visibility=Performance.Visibility.HIDDEN)

    assert client.get(_url(production)).status_code == 404


def test_the_old_address_by_id_redirects_permanently(client, production, hall):
    _performance(production, hall, 10)

    response = client.get(f"/productie/{production.pk}/")

    assert response.status_code == 301
    assert response["Location"] == "/house-a/de-storm/"


def test_other_sites_paths_are_not_taken_for_a_production(client):
    response = client.get("/office/login/")

    assert response.status_code == 200
    assert response.resolver_match.url_name != "production"


def test_statuses_and_price_ranges(client, production, hall):
    on_sale = _performance(production, hall, 5)
    few = _performance(production, hall, 6, size=3)
    sold = _performance(production, hall, 7, size=0)
    soon = _performance(
        production,
        hall,
        8,
        sales_start=datetime(2099, 3, 1, 9, 0, tzinfo=UTC),
    )
    cancelled = _performance(production, hall, 9, status=Performance.Status.CANCELLED)
    planned = _performance(production, hall, 11, status=Performance.Status.PLANNED)

    html = client.get(_url(production), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    rows = html.split('<li class="performance-row">')[1:]
    assert len(rows) == 6
    assert '"status status-on_sale">On sale<' in rows[0]
    assert '"status status-few_left">Few tickets left<' in rows[1]
    assert '"status status-sold_out">Sold out<' in rows[2]
    assert "On sale from 1 March 2099, 10:00" in rows[3]
    assert '"status status-cancelled">Cancelled<' in rows[4]
    assert '"status status-not_on_sale">Not yet on sale<' in rows[5]
    for row in rows:
        assert "€&nbsp;12.00 – €&nbsp;24.00" in row  # the invitation is not a price
    tickets = [f'href="/voorstelling/{p.pk}/"' for p in (on_sale, few)]
    assert all(link in html for link in tickets)
    for performance in (sold, soon, cancelled, planned):
        assert f'href="/voorstelling/{performance.pk}/"' not in html
    assert f"/voorstelling/{cancelled.pk}/agenda.ics" not in html
    assert f"/voorstelling/{on_sale.pk}/agenda.ics" in html


def test_past_performances_are_not_listed(client, production, hall):
    _performance(production, hall, 10)
    past = PerformanceFactory(
        house=production.house,
        production=production,
        hall=hall,
        starts_at=_days(-3),
    )

    html = client.get(_url(production)).content.decode()

    assert html.count('<li class="performance-row">') == 1
    assert f"/voorstelling/{past.pk}/" not in html


def test_the_calendar_file_of_a_performance(client, production, hall):
    starts_at = datetime(2099, 3, 28, 19, 0, tzinfo=UTC)
    production.title = {"nl": "Storm; wind, regen"}
    production.save()
    performance = PerformanceFactory(
        house=production.house,
        production=production,
        hall=hall,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=110),
    )

    response = client.get(f"/voorstelling/{performance.pk}/agenda.ics")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="storm-wind-regen-2099-03-28.ics"'
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "DTSTART:20990328T190000Z\r\n" in text
    assert "DTEND:20990328T205000Z\r\n" in text
    assert "SUMMARY:Storm\\; wind\\, regen\r\n" in text
    assert f"UID:performance-{performance.pk}@podium\r\n" in text
    assert "URL:http://testserver/house-a/de-storm/" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_no_calendar_file_for_a_hidden_performance(client, production, hall):
    hidden = _performance(
        production, hall, 10, visibility=Performance.Visibility.HIDDEN
    )

    assert client.get(f"/voorstelling/{hidden.pk}/agenda.ics").status_code == 404


def _json_ld(html: str) -> list[dict]:
    found = JSON_LD.findall(html)
    assert len(found) == 1
    return json.loads(found[0])


def test_schema_org_events(client, production, hall):
    first = _performance(production, hall, 5)
    second = _performance(production, hall, 6, status=Performance.Status.CANCELLED)

    html = client.get(_url(production), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    events = _json_ld(html)
    assert [event["startDate"] for event in events] == [
        first.starts_at.isoformat(),
        second.starts_at.isoformat(),
    ]
    event = events[0]
    assert event["@type"] == "Event"
    assert event["name"] == "La Tempête"
    assert event["description"] == "Un naufrage."
    assert event["endDate"] == first.ends_at.isoformat()
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert events[1]["eventStatus"] == "https://schema.org/EventCancelled"
    assert (
        event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    )
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Kerkstraat 2",
        "postalCode": "9000",
        "addressLocality": "Gent",
        "addressCountry": "BE",
    }
    assert event["performer"] == [{"@type": "PerformingGroup", "name": "Tafeltheater"}]
    assert event["organizer"]["name"] == "Huis A"
    assert event["offers"] == {
        "@type": "AggregateOffer",
        "lowPrice": "12.00",
        "highPrice": "24.00",
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
        "url": f"http://testserver/voorstelling/{first.pk}/",
    }
    assert events[1]["offers"]["availability"] == "https://schema.org/Discontinued"


def test_a_title_cannot_break_out_of_the_json_ld_script(client, production, hall):
    production.title = {"nl": "</script><script>alert(1)</script>"}
    production.save()
    _performance(production, hall, 5)

    html = client.get(_url(production)).content.decode()

    assert "<script>alert(1)" not in html
    assert _json_ld(html)[0]["name"] == "</script><script>alert(1)</script>"


def test_share_links(client, production, hall):
    _performance(production, hall, 5)

    html = client.get(_url(production), HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    page = "http%3A%2F%2Ftestserver%2Fhouse-a%2Fde-storm%2F"
    assert f"https://www.facebook.com/sharer/sharer.php?u={page}" in html
    assert f"https://wa.me/?text=De%20Storm%20{page}" in html
    assert f"mailto:?subject=De%20Storm&amp;body={page}" in html
    assert "shop/share.js" in html
    assert "onclick" not in html


def test_recommendations_are_shown(client, production, hall, house):
    _performance(production, hall, 5)
    other = ProductionFactory(house=house, title={"nl": "Hamlet"})
    _performance(other, hall, 8)  # the same discipline

    html = client.get(_url(production)).content.decode()

    assert 'href="/house-a/hamlet/"' in html


def test_a_fixed_number_of_queries_however_many_performances(
    client, production, hall, house
):
    _performance(production, hall, 5)
    ProductionImageFactory(production=production)
    other = ProductionFactory(house=house)
    _performance(other, hall, 30)

    def queries() -> int:
        cache.clear()  # recommendations included
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(production)).status_code == 200
        return len(captured)

    one = queries()
    for day in range(6, 16):
        _performance(production, HallFactory(house=house), day)

    assert queries() == one
    # 3 cluster and scope, 6 content, 1 dates, 5 availability, 1 prices, 2 tips
    assert one <= 18
