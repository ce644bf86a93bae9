"""Finding a performance at the desk by part of its title or by its date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from podium.catalog.selectors import _day_in, performance_search
from podium.catalog.tests.factories import PerformanceFactory, ProductionFactory


@pytest.fixture
def programme(scoped, house, hall):
    storm = ProductionFactory(
        house=house, title={"nl": "De Storm", "fr": "La Tempête", "en": "The Tempest"}
    )
    jazz = ProductionFactory(house=house, title={"nl": "Jazz à la carte"})
    now = timezone.now()
    return {
        "storm_soon": PerformanceFactory(
            house=house,
            production=storm,
            hall=hall,
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=2),
        ),
        "storm_later": PerformanceFactory(
            house=house,
            production=storm,
            hall=hall,
            starts_at=now + timedelta(days=20),
            ends_at=now + timedelta(days=20, hours=2),
        ),
        "jazz": PerformanceFactory(
            house=house,
            production=jazz,
            hall=hall,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=2),
        ),
        "past": PerformanceFactory(
            house=house,
            production=storm,
            hall=hall,
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=3) + timedelta(hours=2),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("storm", ["storm_soon", "storm_later"]),
        ("tempête", ["storm_soon", "storm_later"]),
        ("TEMPEST", ["storm_soon", "storm_later"]),
        ("jazz", ["jazz"]),
        ("", ["storm_soon", "jazz"]),  # the coming week
        ("nothing like it", []),
    ],
)
def test_search_by_title_in_any_language(scoped, programme, query, expected):
    found = performance_search(house=scoped, query=query)

    assert found == [programme[name] for name in expected]


def test_search_by_date(scoped, programme):
    day = timezone.localtime(programme["jazz"].starts_at).date()

    for text in (f"{day.day}/{day.month}", day.strftime("%d/%m/%Y"), day.isoformat()):
        assert performance_search(house=scoped, query=text) == [programme["jazz"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/3", date(2027, 3, 12)),
        ("12/12", date(2026, 12, 12)),
        ("1/11", date(2027, 11, 1)),  # past this year: next year
        ("12-03-2027", date(2027, 3, 12)),
        ("2027-03-12", date(2027, 3, 12)),
        ("31/2", None),
        ("storm", None),
        ("12", None),
    ],
)
def test_dates_typed_at_the_desk(text, expected):
    assert _day_in(text, date(2026, 11, 29)) == expected
