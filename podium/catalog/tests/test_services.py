from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from podium.catalog.errors import HallClash
from podium.catalog.models import Performance
from podium.catalog.series import series_dates
from podium.catalog.services import performance_create, performance_series_create
from podium.catalog.tests.factories import ProductionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def production(house):
    return ProductionFactory(house=house, duration_minutes=100)


def test_every_friday_until_2_april_2027_at_eight_keeps_the_wall_clock_across_dst(
    scoped, production, hall
):
    fridays = series_dates(first=date(2027, 3, 1), last=date(2027, 4, 2), weekdays={4})

    created = performance_series_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        dates=fridays,
        start_time=time(20, 0),
    )

    assert [p.starts_at.astimezone(BRUSSELS) for p in created] == [
        datetime(2027, 3, 5, 20, 0, tzinfo=BRUSSELS),
        datetime(2027, 3, 12, 20, 0, tzinfo=BRUSSELS),
        datetime(2027, 3, 19, 20, 0, tzinfo=BRUSSELS),
        datetime(2027, 3, 26, 20, 0, tzinfo=BRUSSELS),
        datetime(2027, 4, 2, 20, 0, tzinfo=BRUSSELS),
    ]
    # Summer time starts on 28 March 2027: 19:00 UTC before, 18:00 UTC after.
    assert [p.starts_at.astimezone(ZoneInfo("UTC")).hour for p in created] == [
        19,
        19,
        19,
        19,
        18,
    ]
    assert all((p.ends_at - p.starts_at).total_seconds() == 100 * 60 for p in created)


def test_overlapping_performance_in_the_same_hall_is_refused_naming_the_clash(
    scoped, production, hall
):
    start = datetime(2027, 3, 5, 20, 0, tzinfo=BRUSSELS)
    performance_create(
        house=scoped, actor=None, production=production, hall=hall, starts_at=start
    )
    other = ProductionFactory(house=scoped, title={"nl": "Tweede stuk"})

    with pytest.raises(HallClash) as raised:
        performance_create(
            house=scoped,
            actor=None,
            production=other,
            hall=hall,
            starts_at=datetime(2027, 3, 5, 21, 0, tzinfo=BRUSSELS),
        )

    assert str(production.title["nl"]) in str(raised.value)
    assert "20:00" in str(raised.value) and "21:40" in str(raised.value)
    assert Performance.objects.filter(production=other).count() == 0
