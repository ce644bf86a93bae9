from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from podium.catalog.errors import CatalogError, HallClash
from podium.catalog.models import Performance, Production
from podium.catalog.series import MAX_SERIES, series_dates
from podium.catalog.services import (
    performance_create,
    performance_series_create,
    performance_update,
    production_create,
    production_duplicate,
    production_update,
)
from podium.catalog.tests.factories import (
    ArtistFactory,
    PerformanceFactory,
    PressQuoteFactory,
    ProductionFactory,
    ProductionImageFactory,
    TaxonomyTermFactory,
    ThemeFactory,
    VideoLinkFactory,
)
from podium.core.models import AuditEntry
from podium.tenancy.scoping import platform_scope
from podium.tenancy.tests.factories import HallFactory

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args):
    return datetime(*args, tzinfo=BRUSSELS)


def elapsed(performance):
    # in UTC: Python subtracts two datetimes of the same zone on the wall clock
    return performance.ends_at.astimezone(UTC) - performance.starts_at.astimezone(UTC)


@pytest.fixture
def production(house):
    return ProductionFactory(house=house, duration_minutes=100)


@pytest.fixture
def other_production(other_house):
    return ProductionFactory(house=other_house, title={"nl": "Van B"})


@pytest.fixture
def other_hall(other_house):
    return HallFactory(house=other_house)


@pytest.fixture
def programmer(house, staff_factory):
    return staff_factory(house, "programmer")


def _everything():
    """A snapshot of all catalogue rows and audit entries, across tenants."""
    with platform_scope():
        return (
            sorted(Production.objects.values_list("pk", "title", "tags")),
            sorted(
                Performance.objects.values_list("pk", "hall", "starts_at", "ends_at")
            ),
            AuditEntry.objects.count(),
        )


# --- production_create -------------------------------------------------------------


def test_production_create_cleans_texts_normalises_tags_and_logs(
    scoped, programmer, other_house
):
    # given themes, an artist of A and one of B
    event_type, theme = TaxonomyTermFactory(), ThemeFactory()
    ours = ArtistFactory(house=scoped)
    theirs = ArtistFactory.create(house=other_house)

    # when
    production = production_create(
        house=scoped,
        actor=programmer,
        title={"nl": "  Hamlet ", "fr": "", "de": "Hamlet (de)"},
        description={"nl": '<p onclick="x()">Tekst<script>alert(1)</script></p>'},
        event_type=event_type,
        tags=[" Theater", "theater", "", "Jeugd "],
        themes=[theme],
        artists=[ours, theirs],
    )

    # then
    production.refresh_from_db()
    assert production.house == scoped
    assert production.title == {"nl": "Hamlet"}
    assert production.description == {"nl": "<p>Tekst</p>"}
    assert production.tags == ["jeugd", "theater"]
    assert list(production.themes.all()) == [theme]
    assert list(production.artists.all()) == [ours]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.house_id, entry.object_id) == (
        "podium.catalog.production.created",
        programmer,
        scoped.pk,
        str(production.pk),
    )
    assert entry.data == {"title": {"nl": "Hamlet"}}


def test_production_create_without_a_title_is_refused_and_writes_nothing(scoped):
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        production_create(
            house=scoped,
            actor=None,
            title={"nl": "   "},
            event_type=TaxonomyTermFactory(),
        )

    assert raised.value.field == "title"
    assert _everything() == before


# --- production_update -------------------------------------------------------------


def test_production_update_saves_and_logs_only_the_changed_values(
    scoped, production, programmer, other_house
):
    theme = ThemeFactory()
    ours = ArtistFactory(house=scoped)
    theirs = ArtistFactory(house=other_house)
    old_title = production.title

    production_update(
        house=scoped,
        actor=programmer,
        production=production,
        title=old_title,
        subtitle={"nl": " Een tragedie "},
        age_min=12,
        themes=[theme],
        artists=[ours, theirs],
    )

    production.refresh_from_db()
    assert (production.subtitle, production.age_min) == ({"nl": "Een tragedie"}, 12)
    assert list(production.artists.all()) == [ours]
    entry = AuditEntry.objects.get()
    assert entry.action == "podium.catalog.production.changed"
    assert entry.actor == programmer
    assert entry.data == {
        "subtitle": {"nl": "Een tragedie"},
        "age_min": 12,
        "themes": [theme.pk],
        "artists": [ours.pk],
    }


def test_production_update_refuses_an_age_range_upside_down(scoped, production):
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        production_update(
            house=scoped, actor=None, production=production, age_min=12, age_max=6
        )

    assert raised.value.field == "age_max"
    assert _everything() == before


def test_production_update_cannot_change_another_houses_production(
    scoped, other_production
):
    before = _everything()

    with pytest.raises(CatalogError):
        production_update(
            house=scoped,
            actor=None,
            production=other_production,
            title={"nl": "Gekaapt"},
        )

    assert _everything() == before


# --- production_duplicate ----------------------------------------------------------


@pytest.fixture
def rich_production(house, production):
    production.title = {"nl": "Hamlet", "fr": "Hamlet FR", "en": "Hamlet EN"}
    production.subtitle = {"nl": "Een tragedie"}
    production.description = {"nl": "<p>Lang verhaal</p>"}
    production.tags = ["klassiek"]
    production.save()
    production.themes.set([ThemeFactory(), ThemeFactory()])
    production.artists.set([ArtistFactory(house=house)])
    ProductionImageFactory(production=production, position=1)
    VideoLinkFactory(production=production)
    PressQuoteFactory(production=production)
    PerformanceFactory(house=house, production=production)
    return production


def test_production_duplicate_copies_content_but_not_performances(
    scoped, rich_production, programmer
):
    source = rich_production

    copy = production_duplicate(house=scoped, actor=programmer, production=source)

    copy.refresh_from_db()
    assert copy.pk != source.pk
    assert copy.title == {
        "nl": "Hamlet (kopie)",
        "fr": "Hamlet FR (copie)",
        "en": "Hamlet EN (copy)",
    }
    for field in ("subtitle", "description", "tags", "event_type", "duration_minutes"):
        assert getattr(copy, field) == getattr(source, field)
    assert set(copy.themes.all()) == set(source.themes.all())
    assert list(copy.artists.all()) == list(source.artists.all())

    def content(production):
        return (
            [
                (i.image.name, i.alt_text, i.credit, i.position)
                for i in production.images.all()
            ],
            [(v.url, v.title) for v in production.videos.all()],
            [(q.quote, q.source) for q in production.press_quotes.all()],
        )

    assert content(copy) == content(source)
    assert all(len(part) == 1 for part in content(source))
    assert copy.performances.count() == 0
    assert source.performances.count() == 1
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_id, entry.data) == (
        "podium.catalog.production.duplicated",
        str(copy.pk),
        {"source": source.pk},
    )


def test_production_duplicate_refuses_another_houses_production(
    scoped, other_production
):
    before = _everything()

    with pytest.raises(CatalogError):
        production_duplicate(house=scoped, actor=None, production=other_production)

    assert _everything() == before


# --- performance_create ------------------------------------------------------------


def test_performance_create_ends_after_the_productions_duration_and_logs(
    scoped, production, hall, programmer
):
    performance = performance_create(
        house=scoped,
        actor=programmer,
        production=production,
        hall=hall,
        starts_at=at(2027, 3, 5, 20, 0),
    )

    performance.refresh_from_db()
    assert performance.ends_at == at(2027, 3, 5, 21, 40)
    assert performance.house == scoped
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (
        "podium.catalog.performance.created",
        programmer,
        str(performance.pk),
    )


def test_performance_create_without_a_duration_lasts_two_hours(scoped, hall):
    production = ProductionFactory(house=scoped, duration_minutes=None)

    performance = performance_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        starts_at=at(2027, 3, 5, 20, 0),
    )

    assert performance.ends_at == at(2027, 3, 5, 22, 0)


def test_performance_create_counts_the_duration_in_real_time_across_the_dst_switch(
    scoped, hall
):
    # given a three-hour night show starting at 01:00 on 31 October 2027 (clocks go
    # back from 03:00 to 02:00 that night)
    production = ProductionFactory(house=scoped, duration_minutes=180)

    performance = performance_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        starts_at=at(2027, 10, 31, 1, 0),
    )

    performance.refresh_from_db()
    assert elapsed(performance) == timedelta(hours=3)
    assert performance.ends_at == datetime(2027, 10, 31, 2, 0, tzinfo=UTC)
    assert performance.ends_at.astimezone(BRUSSELS).hour == 3


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"doors_open_at": at(2027, 3, 5, 20, 5)},
            "doors_open_at",
            "The doors must open before the start.",
        ),
        (
            {
                "sales_start": at(2027, 3, 1, 10, 0),
                "sales_end": at(2027, 3, 1, 10, 0),
            },
            "sales_end",
            "Sales must end after they start.",
        ),
        (
            {"ends_at": at(2027, 3, 5, 19, 0)},
            "ends_at",
            "The end must come after the start.",
        ),
    ],
    ids=["doors-after-start", "sales-window-backwards", "end-before-start"],
)
def test_performance_create_refuses_times_in_the_wrong_order(
    scoped, production, hall, fields, field, message
):
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        performance_create(
            house=scoped,
            actor=None,
            production=production,
            hall=hall,
            starts_at=at(2027, 3, 5, 20, 0),
            **fields,
        )

    assert raised.value.field == field
    with translation.override("en"):
        assert str(raised.value) == message
    assert _everything() == before


def test_performance_create_accepts_doors_and_sales_in_order(scoped, production, hall):
    performance = performance_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        starts_at=at(2027, 3, 5, 20, 0),
        doors_open_at=at(2027, 3, 5, 19, 30),
        sales_start=at(2027, 1, 1, 10, 0),
        sales_end=at(2027, 3, 5, 20, 0),
    )

    performance.refresh_from_db()
    assert performance.doors_open_at == at(2027, 3, 5, 19, 30)
    assert (performance.sales_start, performance.sales_end) == (
        at(2027, 1, 1, 10, 0),
        at(2027, 3, 5, 20, 0),
    )


@pytest.mark.parametrize(
    ("use", "field", "message"),
    [
        ("other_hall", "hall", "This hall belongs to another house."),
        ("other_production", "production", "This production belongs to another house."),
    ],
)
def test_performance_create_refuses_another_houses_hall_or_production(
    request, scoped, production, hall, use, field, message
):
    kwargs = {"production": production, "hall": hall}
    kwargs[field] = request.getfixturevalue(use)
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        performance_create(
            house=scoped, actor=None, starts_at=at(2027, 3, 5, 20, 0), **kwargs
        )

    assert raised.value.field == field
    with translation.override("en"):
        assert str(raised.value) == message
    assert _everything() == before


# --- hall clashes ------------------------------------------------------------------


@pytest.fixture
def booked(scoped, production, hall):
    """Hamlet in the hall on 5 March 2027 from 20:00 to 21:40."""
    return PerformanceFactory(
        house=scoped,
        production=production,
        hall=hall,
        starts_at=at(2027, 3, 5, 20, 0),
        ends_at=at(2027, 3, 5, 21, 40),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((19, 0), (20, 1)),
        ((21, 39), (23, 0)),
        ((20, 30), (21, 0)),
        ((19, 0), (23, 0)),
        ((20, 0), (21, 40)),
    ],
    ids=["overlaps-start", "overlaps-end", "inside", "around", "same-slot"],
)
def test_overlapping_performance_in_the_same_hall_is_refused(
    scoped, booked, hall, start, end
):
    other = ProductionFactory(house=scoped)
    before = _everything()

    with pytest.raises(HallClash) as raised:
        performance_create(
            house=scoped,
            actor=None,
            production=other,
            hall=hall,
            starts_at=at(2027, 3, 5, *start),
            ends_at=at(2027, 3, 5, *end),
        )

    assert raised.value.clashes == [booked]
    assert (raised.value.code, raised.value.conflict) == ("hall_clash", True)
    assert _everything() == before


@pytest.mark.parametrize(
    ("start", "end"),
    [((18, 20), (20, 0)), ((21, 40), (23, 0))],
    ids=["ends-as-it-starts", "starts-as-it-ends"],
)
def test_back_to_back_performances_in_the_same_hall_are_allowed(
    scoped, booked, hall, start, end
):
    performance = performance_create(
        house=scoped,
        actor=None,
        production=ProductionFactory(house=scoped),
        hall=hall,
        starts_at=at(2027, 3, 5, *start),
        ends_at=at(2027, 3, 5, *end),
    )

    assert Performance.objects.filter(hall=hall).count() == 2
    assert performance.pk is not None


def test_the_same_time_in_another_hall_is_allowed(scoped, booked):
    elsewhere = HallFactory(house=scoped, venue=booked.hall.venue)

    performance_create(
        house=scoped,
        actor=None,
        production=ProductionFactory(house=scoped),
        hall=elsewhere,
        starts_at=booked.starts_at,
    )

    assert Performance.objects.filter(starts_at=booked.starts_at).count() == 2


@pytest.mark.parametrize("status", ["cancelled", "postponed", "moved"])
def test_a_performance_that_no_longer_takes_place_frees_its_hall(
    scoped, booked, hall, status
):
    booked.status = status
    booked.save()

    performance_create(
        house=scoped,
        actor=None,
        production=ProductionFactory(house=scoped),
        hall=hall,
        starts_at=booked.starts_at,
    )

    assert Performance.objects.filter(hall=hall).count() == 2


def test_editing_a_performance_does_not_clash_with_itself(scoped, booked):
    performance_update(
        house=scoped,
        actor=None,
        performance=booked,
        starts_at=at(2027, 3, 5, 20, 15),
        ends_at=at(2027, 3, 5, 21, 55),
    )

    booked.refresh_from_db()
    assert (booked.starts_at, booked.ends_at) == (
        at(2027, 3, 5, 20, 15),
        at(2027, 3, 5, 21, 55),
    )
    assert AuditEntry.objects.get().data == {
        "starts_at": str(at(2027, 3, 5, 20, 15)),
        "ends_at": str(at(2027, 3, 5, 21, 55)),
    }


def test_moving_a_performance_into_a_taken_slot_is_refused(scoped, booked, hall):
    later = PerformanceFactory(
        house=scoped,
        production=ProductionFactory(house=scoped),
        hall=hall,
        starts_at=at(2027, 3, 6, 20, 0),
        ends_at=at(2027, 3, 6, 21, 0),
    )
    before = _everything()

    with pytest.raises(HallClash) as raised:
        performance_update(
            house=scoped,
            actor=None,
            performance=later,
            starts_at=at(2027, 3, 5, 21, 0),
            ends_at=at(2027, 3, 5, 22, 0),
        )

    assert raised.value.clashes == [booked]
    assert _everything() == before


def test_performance_update_cannot_change_another_houses_performance(
    scoped, other_house
):
    theirs = PerformanceFactory(house=other_house)
    before = _everything()

    with pytest.raises(CatalogError):
        performance_update(
            house=scoped, actor=None, performance=theirs, status="cancelled"
        )

    assert _everything() == before
    with platform_scope():
        assert Performance.objects.get(pk=theirs.pk).status == "on_sale"


def test_overlapping_performance_is_refused_naming_the_clash(scoped, production, hall):
    performance_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        starts_at=at(2027, 3, 5, 20, 0),
    )
    other = ProductionFactory(house=scoped, title={"nl": "Tweede stuk"})

    with translation.override("en"), pytest.raises(HallClash) as raised:
        performance_create(
            house=scoped,
            actor=None,
            production=other,
            hall=hall,
            starts_at=at(2027, 3, 5, 21, 0),
        )

    assert str(raised.value) == (
        f"{hall.name} is already taken at that time: "
        f"{production.title['en']} on Friday 5 March 2027 from 20:00 to 21:40."
    )
    assert Performance.objects.filter(production=other).count() == 0


# --- performance_series_create -----------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "weekdays", "expected"),
    [
        (
            date(2027, 3, 1),
            date(2027, 3, 14),
            {1, 3},
            [date(2027, 3, 2), date(2027, 3, 4), date(2027, 3, 9), date(2027, 3, 11)],
        ),
        (date(2027, 3, 5), date(2027, 3, 5), {4}, [date(2027, 3, 5)]),
        (date(2027, 3, 5), date(2027, 3, 5), {0}, []),
        (date(2027, 3, 10), date(2027, 3, 1), {0, 1, 2, 3, 4, 5, 6}, []),
    ],
    ids=["tue-and-thu", "single-day", "weekday-not-in-period", "last-before-first"],
)
def test_series_dates_picks_the_chosen_weekdays(first, last, weekdays, expected):
    assert series_dates(first=first, last=last, weekdays=weekdays) == expected


def test_series_creates_one_performance_per_chosen_weekday(
    scoped, production, hall, programmer
):
    dates = series_dates(
        first=date(2027, 3, 1), last=date(2027, 3, 14), weekdays={1, 3}
    )

    created = performance_series_create(
        house=scoped,
        actor=programmer,
        production=production,
        hall=hall,
        dates=dates,
        start_time=time(20, 0),
        doors_open_minutes=30,
        visibility="unlisted",
    )

    stored = list(Performance.objects.filter(production=production))
    assert stored == created
    assert [p.starts_at.astimezone(BRUSSELS).date() for p in stored] == dates
    assert {p.starts_at.astimezone(BRUSSELS).time() for p in stored} == {time(20, 0)}
    assert {p.doors_open_at.astimezone(BRUSSELS).time() for p in stored} == {
        time(19, 30)
    }
    assert {elapsed(p) for p in stored} == {timedelta(minutes=100)}
    assert {p.visibility for p in stored} == {"unlisted"}
    assert AuditEntry.objects.filter(
        action="podium.catalog.performance.created", actor=programmer
    ).count() == len(dates)


def test_series_with_a_clash_creates_nothing_and_names_every_clashing_date(
    scoped, production, hall
):
    # given the hall is taken on two of the four Tuesdays and Thursdays
    taken = [
        PerformanceFactory(
            house=scoped,
            hall=hall,
            starts_at=at(2027, 3, day, 19, 0),
            ends_at=at(2027, 3, day, 21, 0),
        )
        for day in (4, 11)
    ]
    dates = series_dates(
        first=date(2027, 3, 1), last=date(2027, 3, 14), weekdays={1, 3}
    )
    before = _everything()

    with translation.override("en"), pytest.raises(HallClash) as raised:
        performance_series_create(
            house=scoped,
            actor=None,
            production=production,
            hall=hall,
            dates=dates,
            start_time=time(20, 0),
        )

    assert raised.value.clashes == taken
    assert raised.value.field == "start_time"
    assert "Thursday 4 March 2027" in str(raised.value)
    assert "Thursday 11 March 2027" in str(raised.value)
    assert "Tuesday" not in str(raised.value)
    assert _everything() == before


def test_series_names_a_long_performance_once_even_if_it_blocks_two_dates(
    scoped, production, hall
):
    festival = PerformanceFactory(
        house=scoped,
        hall=hall,
        starts_at=at(2027, 3, 5, 10, 0),
        ends_at=at(2027, 3, 6, 23, 0),
    )

    with pytest.raises(HallClash) as raised:
        performance_series_create(
            house=scoped,
            actor=None,
            production=production,
            hall=hall,
            dates=[date(2027, 3, 5), date(2027, 3, 6)],
            start_time=time(20, 0),
        )

    assert raised.value.clashes == [festival]


@pytest.mark.parametrize(
    ("dates", "code"),
    [
        ([], "series_empty"),
        (
            [date(2027, 1, 1) + timedelta(days=n) for n in range(MAX_SERIES + 1)],
            "series_too_long",
        ),
    ],
    ids=["empty", "over-200"],
)
def test_series_refuses_an_empty_or_too_long_series(
    scoped, production, hall, dates, code
):
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        performance_series_create(
            house=scoped,
            actor=None,
            production=production,
            hall=hall,
            dates=dates,
            start_time=time(20, 0),
        )

    assert raised.value.code == code
    assert _everything() == before


def test_series_of_exactly_200_dates_is_created(scoped, production, hall):
    # duplicates count once: 200 distinct days and one repeated
    dates = [date(2027, 1, 1) + timedelta(days=n) for n in range(MAX_SERIES)]

    created = performance_series_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        dates=[*dates, dates[0]],
        start_time=time(20, 0),
    )

    assert len(created) == MAX_SERIES
    assert Performance.objects.filter(production=production).count() == MAX_SERIES


@pytest.mark.parametrize(
    ("first", "last", "utc_hours"),
    [
        # summer time starts on Sunday 28 March 2027
        (date(2027, 3, 1), date(2027, 4, 2), [19, 19, 19, 19, 18]),
        # summer time ends on Sunday 31 October 2027
        (date(2027, 10, 15), date(2027, 11, 12), [18, 18, 18, 19, 19]),
    ],
    ids=["march", "october"],
)
def test_series_keeps_the_wall_clock_across_dst(
    scoped, production, hall, first, last, utc_hours
):
    fridays = series_dates(first=first, last=last, weekdays={4})

    created = performance_series_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        dates=fridays,
        start_time=time(20, 0),
    )

    assert {p.starts_at.astimezone(BRUSSELS).time() for p in created} == {time(20)}
    assert [p.starts_at.astimezone(UTC).hour for p in created] == utc_hours
    assert {elapsed(p) for p in created} == {timedelta(minutes=100)}


def test_series_across_the_night_of_the_october_switch_lasts_its_real_duration(
    scoped, production, hall
):
    # a 100-minute show at 01:30 on Sunday 31 October 2027 ends at 02:10 winter time
    created = performance_series_create(
        house=scoped,
        actor=None,
        production=production,
        hall=hall,
        dates=[date(2027, 10, 30), date(2027, 10, 31)],
        start_time=time(1, 30),
    )

    assert [elapsed(p) for p in created] == [timedelta(minutes=100)] * 2
    assert [p.ends_at.astimezone(BRUSSELS).strftime("%H:%M %Z") for p in created] == [
        "03:10 CEST",
        "02:10 CET",
    ]


@pytest.mark.parametrize(
    ("use", "field"),
    [("other_hall", "hall"), ("other_production", "production")],
)
def test_series_refuses_another_houses_hall_or_production(
    request, scoped, production, hall, use, field
):
    kwargs = {"production": production, "hall": hall}
    kwargs[field] = request.getfixturevalue(use)
    before = _everything()

    with pytest.raises(CatalogError) as raised:
        performance_series_create(
            house=scoped,
            actor=None,
            dates=[date(2027, 3, 5)],
            start_time=time(20, 0),
            **kwargs,
        )

    assert raised.value.field == field
    assert _everything() == before


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hallo<script>alert(1)</script></p>", "<p>Hallo</p>"),
        ('<p>Foto<img src=x onerror="alert(1)"></p>', "<p>Foto</p>"),
        ('<p onclick="alert(1)">Tekst</p>', "<p>Tekst</p>"),
        (
            '<a href="javascript:alert(1)">klik</a>',
            '<a rel="noopener noreferrer">klik</a>',
        ),
    ],
    ids=["script", "onerror", "handler", "javascript-url"],
)
def test_a_rich_description_is_sanitised_on_update(scoped, production, html, expected):
    from podium.catalog.services import production_update

    production_update(
        house=scoped,
        actor=None,
        production=production,
        description={"nl": "ok", "fr": html},
    )

    production.refresh_from_db()
    assert production.description == {"nl": "ok", "fr": expected}


def test_a_title_longer_than_200_characters_is_refused_by_the_service(scoped, house):
    discipline = TaxonomyTermFactory(domain="event_type")

    with pytest.raises(CatalogError, match="200"):
        production_create(
            house=house, actor=None, title={"nl": "x" * 201}, event_type=discipline
        )
