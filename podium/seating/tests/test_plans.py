"""Seat plans: the section generator's geometry, plan versions and copies."""

import math
from dataclasses import replace
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.functional import Promise
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.core.errors import NotFound
from podium.core.models import AuditEntry
from podium.seating.errors import SeatingError, SeatingErrorCode
from podium.seating.models import Seat, SeatPlan, Section
from podium.seating.plans import (
    MAX_SEATS,
    PlanSpec,
    SeatSpec,
    SectionSpec,
    generate_section,
    plan_copy_with_changes,
    plan_create,
    plan_current,
    plan_to_spec,
    row_labels,
)
from podium.seating.tests.factories import BALCONY, STALLS, small_plan_spec
from podium.tenancy.models import Hall
from podium.tenancy.scoping import house_scope
from podium.tenancy.tests.factories import HallFactory

Code = SeatingErrorCode


def by_row(section: SectionSpec) -> dict[str, list[SeatSpec]]:
    rows: dict[str, list[SeatSpec]] = {}
    for seat in sorted(section.seats, key=lambda s: (s.row_order, s.order)):
        rows.setdefault(seat.row, []).append(seat)
    return rows


def seat_rows(plan: SeatPlan) -> list[tuple]:
    return list(
        Seat.objects.filter(plan=plan)
        .order_by("section__position", "row_order", "order")
        .values_list(
            "section__position", "row", "number", "row_order", "order", "x", "y",
            "zone", "wheelchair", "companion", "restricted_view", "blocked", "kept",
        )
    )  # fmt: skip


# --- The generator ---------------------------------------------------------------------


def test_straight_rows_step_one_seat_and_lie_1_2_apart():
    section = generate_section(name=STALLS, rows=3, seats_per_row=5)

    rows = by_row(section)

    assert list(rows) == ["A", "B", "C"]
    for row_order, seats in enumerate(rows.values()):
        assert [s.x for s in seats] == [0.0, 1.0, 2.0, 3.0, 4.0]
        assert {s.y for s in seats} == {[0.0, 1.2, 2.4][row_order]}
        assert [s.order for s in seats] == [0, 1, 2, 3, 4]
        assert [s.number for s in seats] == ["1", "2", "3", "4", "5"]
        assert {s.row_order for s in seats} == {row_order}
    assert section.centre is None


def test_shorter_rows_are_centred_on_the_widest_and_origin_moves_the_section():
    section = generate_section(
        name=BALCONY, rows=2, seats_per_row=[4, 6], origin_y=10, first_row="K"
    )

    rows = by_row(section)

    assert [s.x for s in rows["K"]] == [1.0, 2.0, 3.0, 4.0]
    assert [s.x for s in rows["L"]] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert {s.y for s in rows["K"]} == {10.0}
    assert {s.y for s in rows["L"]} == {11.2}


def test_curved_rows_are_arcs_round_one_centre_before_the_stage():
    section = generate_section(
        name=STALLS, rows=4, seats_per_row=[10, 11, 12, 13], shape="curved"
    )
    cx, cy = section.centre

    radii = []
    for seats in by_row(section).values():
        distances = [math.hypot(s.x - cx, s.y - cy) for s in seats]
        assert max(distances) - min(distances) < 2e-3
        radii.append(distances[0])
        # Left to right, the row's ends bend towards the stage (smaller y).
        assert [s.x for s in seats] == sorted(s.x for s in seats)
        assert seats[0].y < seats[len(seats) // 2].y > seats[-1].y
        # Neighbours are about one seat apart along the arc.
        gaps = [math.dist((a.x, a.y), (b.x, b.y)) for a, b in pairwise(seats)]
        assert all(0.98 < gap <= 1.0 + 1e-3 for gap in gaps)
    assert [b - a for a, b in pairwise(radii)] == pytest.approx(
        [1.2, 1.2, 1.2], abs=2e-3
    )
    assert cy < min(s.y for s in section.seats)
    assert min(s.y for s in section.seats) == 0.0


def test_a_curved_section_takes_its_radius_and_origin():
    section = generate_section(
        name=STALLS, rows=2, seats_per_row=6, shape="curved", radius=20, origin_y=3
    )
    cx, cy = section.centre

    front = by_row(section)["A"]

    assert math.hypot(front[0].x - cx, front[0].y - cy) == pytest.approx(20, abs=1e-3)
    assert min(s.y for s in section.seats) == 3.0


@pytest.mark.parametrize(
    ("count", "numbers"),
    [
        (8, "7 5 3 1 2 4 6 8"),
        (7, "7 5 3 1 2 4 6"),
        (2, "1 2"),
        (1, "1"),
    ],
)
def test_odd_even_numbering_rises_from_the_centre_outwards(count, numbers):
    section = generate_section(
        name=STALLS, rows=1, seats_per_row=count, numbering="odd_even"
    )

    seats = by_row(section)["A"]

    assert " ".join(s.number for s in seats) == numbers
    assert [s.order for s in seats] == list(range(count))
    assert [s.x for s in seats] == [float(i) for i in range(count)]


@pytest.mark.parametrize(
    ("first", "count", "labels"),
    [
        ("A", 3, ["A", "B", "C"]),
        ("Y", 4, ["Y", "Z", "AA", "AB"]),
        ("az", 2, ["AZ", "BA"]),
        ("ZZ", 2, ["ZZ", "AAA"]),
        ("1", 3, ["1", "2", "3"]),
        ("9", 2, ["9", "10"]),
    ],
)
def test_row_labels(first, count, labels):
    assert row_labels(first, count) == labels


def test_twenty_eight_rows_run_on_after_z():
    section = generate_section(name=STALLS, rows=28, seats_per_row=1)

    assert [s.row for s in section.seats][-3:] == ["Z", "AA", "AB"]


@pytest.mark.parametrize(
    ("zone_rows", "zones"),
    [
        (None, [1] * 14),
        ([6, 12], [1] * 6 + [2] * 6 + [3] * 2),
        ([6, 14], [1] * 6 + [2] * 8),
        ([1], [1] + [2] * 13),
    ],
)
def test_zones_follow_row_ranges(zone_rows, zones):
    section = generate_section(
        name=STALLS, rows=14, seats_per_row=2, zone_rows=zone_rows
    )

    assert [seats[0].zone for seats in by_row(section).values()] == zones
    assert all(len({s.zone for s in seats}) == 1 for seats in by_row(section).values())


def test_aisles_leave_a_gap_in_place_and_order_but_numbers_run_on():
    section = generate_section(
        name=STALLS, rows=2, seats_per_row=[8, 3], aisle_after=[2, 6]
    )

    rows = by_row(section)

    assert [s.x for s in rows["A"]] == [0, 1, 3, 4, 5, 6, 8, 9]
    assert [s.order for s in rows["A"]] == [0, 1, 3, 4, 5, 6, 8, 9]
    assert [s.number for s in rows["A"]] == [str(n) for n in range(1, 9)]
    # A row of 3 has the aisle after its 2nd seat only, and is centred.
    assert [s.x for s in rows["B"]] == [3.0, 4.0, 6.0]
    assert [s.order for s in rows["B"]] == [0, 1, 3]


def test_curved_aisles_leave_a_gap_along_the_arc():
    section = generate_section(
        name=STALLS, rows=1, seats_per_row=6, shape="curved", aisle_after=[3]
    )
    seats = by_row(section)["A"]

    gaps = [math.dist((a.x, a.y), (b.x, b.y)) for a, b in pairwise(seats)]

    assert gaps[2] > 1.9
    assert all(0.95 < gap <= 1.0 + 1e-3 for i, gap in enumerate(gaps) if i != 2)


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"rows": 0}, "rows", "A section needs at least one row."),
        (
            {"seats_per_row": [3, 3]},
            "seats_per_row",
            "Give a number of seats for each of the 3 rows.",
        ),
        ({"seats_per_row": [3, 0, 3]}, "seats_per_row", "Every row needs at least one seat."),
        (
            {"zone_rows": [12, 6]},
            "zone_rows",
            "Rank boundaries must be rising row numbers, such as 6, 12.",
        ),
        ({"aisle_after": [0]}, "aisle_after", "Aisles go after a seat position from 1."),
        ({"shape": "round"}, "shape", "Unknown shape “round”."),
        ({"numbering": "roman"}, "numbering", "Unknown numbering “roman”."),
        (
            {"first_row": "A1"},
            "first_row",
            "The first row must be letters (A, AA, …) or a number, not “A1”.",
        ),
        (
            {"shape": "curved", "radius": 1},
            "radius",
            "The radius is too small: a row would bend round more than half a circle.",
        ),
    ],
)  # fmt: skip
def test_the_generator_refuses_bad_arguments(options, field, message):
    arguments = {"name": STALLS, "rows": 3, "seats_per_row": 10} | options

    with pytest.raises(SeatingError) as raised:
        generate_section(**arguments)

    assert raised.value.code == Code.INVALID
    assert raised.value.field == field
    assert str(raised.value) == message
    assert isinstance(raised.value.message, Promise)


def test_the_generator_refuses_more_seats_than_a_plan_takes():
    with pytest.raises(SeatingError) as raised:
        generate_section(name=STALLS, rows=51, seats_per_row=100)

    assert raised.value.code == Code.PLAN_TOO_LARGE
    assert str(raised.value) == "A seat plan has at most 5000 seats; this one has 5100."


@settings(max_examples=150, deadline=None, database=None)
@given(
    counts=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=40),
    shape=st.sampled_from(["straight", "curved"]),
    numbering=st.sampled_from(["continuous", "odd_even"]),
    first_row=st.sampled_from(["A", "X", "ZZ", "1"]),
    aisles=st.lists(st.integers(min_value=1, max_value=45), max_size=3),
)
def test_generated_labels_are_unique_and_orders_run_per_row(
    counts, shape, numbering, first_row, aisles
):
    section = generate_section(
        name=STALLS,
        rows=len(counts),
        seats_per_row=counts,
        shape=shape,
        numbering=numbering,
        first_row=first_row,
        aisle_after=aisles,
    )

    labels = [(s.row, s.number) for s in section.seats]
    assert len(labels) == len(set(labels)) == sum(counts)
    rows = by_row(section)
    assert len(rows) == len(counts)
    for (row_order, seats), count in zip(enumerate(rows.values()), counts, strict=True):
        # consecutive `order` = adjacent; each aisle before a seat adds one to it
        assert [s.order for s in seats] == [
            i + sum(1 for p in set(aisles) if p <= i) for i in range(count)
        ]
        assert {s.row_order for s in seats} == {row_order}
        assert sorted(int(s.number) for s in seats) == list(range(1, count + 1))
        assert [s.x for s in seats] == sorted(s.x for s in seats)


# --- Writing plans ---------------------------------------------------------------------


@pytest.fixture
def standing_hall(house):
    return HallFactory(house=house, name="Club", kind=Hall.Kind.STANDING)


@pytest.fixture
def other_hall(other_house):
    return HallFactory(house=other_house, name="Zaal B")


def two_sections() -> PlanSpec:
    stalls = generate_section(name=STALLS, rows=3, seats_per_row=6, zone_rows=[1])
    balcony = generate_section(
        name=BALCONY, rows=1, seats_per_row=4, first_row="K", origin_y=6, origin_x=1
    )
    return PlanSpec(sections=[stalls, balcony])


def test_plan_create_writes_version_1_with_its_sections_and_seats(scoped, hall):
    plan = plan_create(
        house=scoped, actor=None, hall=hall, spec=two_sections(), note=" Eerste "
    )

    assert plan.version == 1
    assert plan.note == "Eerste"
    assert (plan.width, plan.height) == (6.0, 7.0)
    assert list(Section.objects.filter(plan=plan).values_list("position", "name")) == [
        (0, STALLS),
        (1, BALCONY),
    ]
    rows = seat_rows(plan)
    assert len(rows) == 22
    assert rows[0] == (0, "A", "1", 0, 0, 0.0, 0.0, 1) + (False,) * 5
    assert rows[7] == (0, "B", "2", 1, 1, 1.0, 1.2, 2) + (False,) * 5
    assert rows[-1] == (1, "K", "4", 0, 3, 4.0, 6.0, 1) + (False,) * 5
    entry = AuditEntry.objects.get(action="podium.seating.plan.created")
    assert entry.object_id == str(plan.pk)
    assert entry.house_id == scoped.pk
    assert entry.data == {
        "hall": hall.pk,
        "version": 1,
        "sections": 2,
        "seats": 22,
        "note": "Eerste",
    }


def test_plan_create_writes_the_seats_in_one_bulk_insert(scoped, hall):
    spec = small_plan_spec(rows=10, seats=20)
    fields = [f for f in Seat._meta.concrete_fields if not f.primary_key]
    # One statement on PostgreSQL; SQLite splits it by its limit of parameters.
    batches = math.ceil(200 / connection.ops.bulk_batch_size(fields, [None] * 200))

    with CaptureQueriesContext(connection) as queries:
        plan_create(house=scoped, actor=None, hall=hall, spec=spec)

    statements = [q["sql"].split(" (")[0] for q in queries.captured_queries]
    seat_inserts = [s for s in statements if s == 'INSERT INTO "seating_seat"']
    assert len(seat_inserts) == batches
    # The savepoint and its release, the hall's lock, the latest version, the plan,
    # its section and the audit entry.
    assert len(statements) - len(seat_inserts) == 7


def test_a_second_plan_is_version_2_and_leaves_the_first_alone(scoped, hall):
    first = plan_create(house=scoped, actor=None, hall=hall, spec=small_plan_spec())
    before = seat_rows(first)

    second = plan_create(
        house=scoped, actor=None, hall=hall, spec=small_plan_spec(rows=2, seats=4)
    )

    assert (first.version, second.version) == (1, 2)
    assert seat_rows(first) == before
    assert len(seat_rows(second)) == 8
    assert SeatPlan.objects.get(pk=first.pk).version == 1
    assert plan_current(hall=hall) == second


def test_plan_current_is_none_for_a_hall_without_a_plan(scoped, hall):
    assert plan_current(hall=hall) is None


def test_a_standing_hall_takes_no_plan(scoped, standing_hall):
    with pytest.raises(SeatingError) as raised:
        plan_create(
            house=scoped, actor=None, hall=standing_hall, spec=small_plan_spec()
        )

    assert raised.value.code == Code.HALL_NOT_SEATED
    assert str(raised.value) == (
        "Club is a standing hall: only a seated hall has a seat plan."
    )
    assert not SeatPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="podium.seating").exists()


def test_another_houses_hall_is_not_found(scoped, other_hall):
    with pytest.raises(NotFound) as raised:
        plan_create(house=scoped, actor=None, hall=other_hall, spec=small_plan_spec())

    assert str(raised.value) == "Hall not found."
    assert not SeatPlan.objects.exists()


@pytest.fixture
def their_plan(other_house, other_hall):
    return plan_create(
        house=other_house, actor=None, hall=other_hall, spec=small_plan_spec()
    )


def test_another_houses_plans_are_not_seen(scoped, other_hall, their_plan):
    assert plan_current(hall=other_hall) is None


def seat(row="A", number="1", row_order=0, order=0, **values) -> SeatSpec:
    return SeatSpec(
        row=row, number=number, row_order=row_order, order=order, x=0.0, y=0.0,
        **values,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("sections", "code", "message"),
    [
        ([], Code.PLAN_EMPTY, "A seat plan needs at least one seat."),
        (
            [SectionSpec(name=STALLS, seats=[seat(), seat(order=1)])],
            Code.DUPLICATE_SEAT,
            "Section Stalls has seat A-1 twice.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(), seat(number="2")])],
            Code.DUPLICATE_POSITION,
            "Section Stalls has two seats at row_order 0, order 0.",
        ),
        (
            [
                SectionSpec(name=STALLS, seats=[seat()], position=1),
                SectionSpec(name=BALCONY, seats=[seat()], position=1),
            ],
            Code.DUPLICATE_SECTION,
            "Two sections have position 1.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat()]), SectionSpec(name=BALCONY)],
            Code.PLAN_EMPTY,
            "Section Balcony has no seats.",
        ),
        (
            [SectionSpec(name={"nl": " "}, seats=[seat()])],
            Code.INVALID,
            "Give section 0 a name.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(zone=0)])],
            Code.INVALID,
            "Section Stalls, seat A-1: the rank must be a whole number from 1.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(row="ABCDEFGHI")])],
            Code.INVALID,
            "Section Stalls, seat ABCDEFGHI-1: row and number have at most 8 "
            "characters.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(number="")])],
            Code.INVALID,
            "Section Stalls, seat A-: a seat needs a row and a number.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[replace(seat(), x=math.nan)])],
            Code.INVALID,
            "Section Stalls, seat A-1: x and y must be finite numbers.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(blocked=1)])],
            Code.INVALID,
            "Section Stalls, seat A-1: the flags must be true or false.",
        ),
        (
            [SectionSpec(name=STALLS, seats=[seat(order=-1)])],
            Code.INVALID,
            "Section Stalls, seat A-1: row_order and order must be whole numbers "
            "from 0.",
        ),
    ],
)
def test_plan_create_refuses_a_bad_spec(scoped, hall, sections, code, message):
    with pytest.raises(SeatingError) as raised:
        plan_create(
            house=scoped, actor=None, hall=hall, spec=PlanSpec(sections=sections)
        )

    assert raised.value.code == code
    assert str(raised.value) == message
    assert not SeatPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="podium.seating").exists()


def test_plan_create_refuses_more_than_5000_seats(scoped, hall):
    spec = small_plan_spec(rows=50, seats=100)
    spec.sections.append(
        replace(small_plan_spec(rows=1, seats=1).sections[0], name=BALCONY)
    )

    with pytest.raises(SeatingError) as raised:
        plan_create(house=scoped, actor=None, hall=hall, spec=spec)

    assert raised.value.code == Code.PLAN_TOO_LARGE
    assert str(raised.value) == "A seat plan has at most 5000 seats; this one has 5001."
    assert not SeatPlan.objects.exists()


def test_a_plan_of_5000_seats_is_written(scoped, hall):
    plan = plan_create(
        house=scoped, actor=None, hall=hall, spec=small_plan_spec(rows=50, seats=100)
    )

    assert Seat.objects.filter(plan=plan).count() == MAX_SEATS


def test_plan_to_spec_reads_back_what_was_written(scoped, hall):
    spec = two_sections()
    spec.sections[1].seats[2] = replace(
        spec.sections[1].seats[2], wheelchair=True, companion=True
    )
    plan = plan_create(house=scoped, actor=None, hall=hall, spec=spec)

    read = plan_to_spec(plan=plan)

    assert [(s.name, s.position) for s in read.sections] == [
        (STALLS, 0),
        (BALCONY, 1),
    ]
    assert [s.seats for s in read.sections] == [s.seats for s in spec.sections]


# --- Copying with changes --------------------------------------------------------------


@pytest.fixture
def plan(scoped, hall):
    return plan_create(house=scoped, actor=None, hall=hall, spec=two_sections())


def test_a_copy_with_changes_is_the_next_version(scoped, plan, staff_factory):
    before = seat_rows(plan)
    staff = staff_factory(scoped, "house_admin")

    copy = plan_copy_with_changes(
        house=scoped,
        actor=staff,
        plan=plan,
        changes={
            (0, "A", "1"): {"blocked": True, "kept": True},
            (0, "B", 2): {"zone": 1},
            (1, "K", "4"): {"wheelchair": True},
        },
        note="Regie op A1",
    )

    assert (copy.version, copy.note) == (2, "Regie op A1")
    assert seat_rows(plan) == before
    after = seat_rows(copy)
    changed = [
        i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
    ]
    assert changed == [0, 7, 21]
    assert after[0] == (0, "A", "1", 0, 0, 0.0, 0.0, 1) + (
        False, False, False, True, True,
    )  # fmt: skip
    assert after[7][7] == 1
    assert after[21][8] is True
    assert plan_current(hall=plan.hall) == copy
    entry = AuditEntry.objects.get(action="podium.seating.plan.changed")
    assert entry.object_id == str(copy.pk)
    assert entry.actor == staff
    assert entry.data == {
        "from_version": 1,
        "version": 2,
        "changes": {
            "0/A/1": {"blocked": [False, True], "kept": [False, True]},
            "0/B/2": {"zone": [2, 1]},
            "1/K/4": {"wheelchair": [False, True]},
        },
    }


def test_copying_an_older_version_still_makes_the_newest(scoped, plan):
    plan_create(house=scoped, actor=None, hall=plan.hall, spec=small_plan_spec())

    copy = plan_copy_with_changes(
        house=scoped, actor=None, plan=plan, changes={(1, "K", "1"): {"blocked": True}}
    )

    assert copy.version == 3
    assert len(seat_rows(copy)) == 22


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        ({}, Code.NO_CHANGES, "Nothing to change: name the seats to change."),
        (
            {(0, "Z", "1"): {"blocked": True}},
            Code.UNKNOWN_SEAT,
            "Seat Z-1 of section 0 is not on this plan.",
        ),
        (
            {(2, "A", "1"): {"blocked": True}},
            Code.UNKNOWN_SEAT,
            "Seat A-1 of section 2 is not on this plan.",
        ),
        (
            {(0, "A", "1"): {"x": 3.0, "row": "B"}},
            Code.INVALID,
            "Only a seat's rank and flags can change, not row, x.",
        ),
        (
            {(0, "A", "1"): {"zone": 0}},
            Code.INVALID,
            "Seat A-1: zone cannot be “0”.",
        ),
        (
            {(0, "A", "1"): {"blocked": "yes"}},
            Code.INVALID,
            "Seat A-1: blocked cannot be “yes”.",
        ),
    ],
)
def test_a_copy_refuses_bad_changes(scoped, plan, changes, code, message):
    with pytest.raises(SeatingError) as raised:
        plan_copy_with_changes(house=scoped, actor=None, plan=plan, changes=changes)

    assert raised.value.code == code
    assert str(raised.value) == message
    assert list(SeatPlan.objects.values_list("version", flat=True)) == [1]


def test_another_houses_plan_cannot_be_copied(scoped, other_house, their_plan):
    with pytest.raises(NotFound) as raised:
        plan_copy_with_changes(
            house=scoped,
            actor=None,
            plan=their_plan,
            changes={(0, "A", "1"): {"blocked": True}},
        )

    assert str(raised.value) == "Seat plan not found."
    with house_scope(other_house):
        assert list(SeatPlan.objects.values_list("version", flat=True)) == [1]
