"""Best available: examples for each rule, and properties over random halls."""

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.seating.best_available import Choice, SeatInfo, best_available


def _plan(*rows: str, section: int = 0, zones: tuple[int, ...] = ()) -> list[SeatInfo]:
    """A section drawn as text, one string per row from the front: "." free, "x"
    taken, "w" a free wheelchair space, " " an aisle (a gap in `order`). A seat's id
    is section * 10000 + row * 100 + order, its zone zones[row] (default 1)."""
    seats = []
    for row_order, row in enumerate(rows):
        for order, mark in enumerate(row):
            if mark == " ":
                continue
            seats.append(
                SeatInfo(
                    id=_id(row_order, order, section),
                    section=section,
                    row_order=row_order,
                    order=order,
                    zone=zones[row_order] if zones else 1,
                    x=float(order),
                    y=float(row_order),
                    free=mark in ".w",
                    wheelchair=mark == "w",
                )
            )
    return seats


def _id(row_order: int, order: int, section: int = 0) -> int:
    return section * 10000 + row_order * 100 + order


def _ids(row_order: int, orders: range, section: int = 0) -> list[int]:
    return [_id(row_order, order, section) for order in orders]


# Examples, one or more per rule.


def test_an_empty_hall_gives_the_front_row_centre():
    seats = _plan(*["." * 20] * 10)

    choice = best_available(seats, 4)

    assert choice == Choice(seat_ids=_ids(0, range(8, 12)), together=True, rows=1)


@pytest.mark.parametrize(
    ("front_row", "expected"),
    [
        # The front row's only block sits 8 seats off centre: 0.5 * 8 = 4 rows' worth,
        # so the centre of the second row (score 1) wins.
        ("....xxxxxxxxxxxxxxxx", _ids(1, range(8, 12))),
        # One seat off centre costs half a row: front row (score 0.5) beats row two.
        ("xxxxxxx....xxxxxxxxx", _ids(0, range(7, 11))),
    ],
)
def test_the_score_weighs_rows_against_distance_from_the_centre(front_row, expected):
    seats = _plan(front_row, "." * 20)

    choice = best_available(seats, 4)

    assert choice.seat_ids == expected


def test_a_block_that_leaves_no_single_seat_beats_a_more_central_one():
    # Orders 2-5 are the centred block but strand seat 1; orders 1-4 strand nobody.
    seats = _plan("x.......")

    choice = best_available(seats, 4)

    assert choice == Choice(seat_ids=_ids(0, range(1, 5)), together=True, rows=1)


def test_when_every_block_strands_a_seat_the_most_central_one_is_taken():
    # Seat 0 taken, 1-5 free: 1-4 strands 5 and 2-5 strands 1; 1-4 is centred
    # (row centre 2.5).
    seats = _plan("x.....")

    choice = best_available(seats, 4)

    assert choice == Choice(seat_ids=_ids(0, range(1, 5)), together=True, rows=1)


def test_an_orphan_free_block_in_a_worse_row_beats_one_that_strands_a_seat():
    seats = _plan("x.....x", "x.......")

    choice = best_available(seats, 4)

    assert choice.seat_ids == _ids(1, range(1, 5))


def test_a_seat_left_next_to_a_free_seat_of_another_zone_is_no_orphan():
    # Zone 2 seat 0 stays free next to zone 1 seat 1: both still have a neighbour.
    seats = [seat if seat.order else replace(seat, zone=2) for seat in _plan("......")]

    choice = best_available(seats, 4, zone=1)

    assert choice.seat_ids == _ids(0, range(2, 6))


def test_only_seats_of_the_requested_zone_are_given():
    seats = _plan("." * 10, "." * 10, zones=(1, 2))

    assert best_available(seats, 2, zone=2).seat_ids == _ids(1, range(4, 6))
    assert best_available(seats, 2).seat_ids == _ids(0, range(4, 6))


def test_without_a_zone_the_lowest_zone_comes_before_the_score():
    # The back row is rank 1; the front row, rank 2, is nearer the stage.
    seats = _plan("." * 10, "." * 10, zones=(2, 1))

    assert best_available(seats, 2).seat_ids == _ids(1, range(4, 6))


def test_only_seats_of_the_requested_section_are_given():
    seats = _plan("." * 10, section=0) + _plan("x" * 3 + "." * 7, section=1)

    choice = best_available(seats, 3, section=1)

    assert choice.seat_ids == _ids(0, range(3, 6), section=1)


def test_a_split_uses_two_adjacent_rows_when_no_row_holds_the_group():
    seats = _plan(
        "xxxx..xxxx",
        "xxx..xxxxx",
        "x.x.x.x.x.",
        "xxxxxxxxxx",
        "xxxxxxxxxx",
        "xx...xxxxx",
        "xxxx.xxxxx",
    )

    choice = best_available(seats, 4)

    assert choice == Choice(
        seat_ids=_ids(0, range(4, 6)) + _ids(1, range(3, 5)), together=False, rows=2
    )


def test_a_split_takes_the_fewest_pieces_before_the_closest_rows():
    seats = _plan("xxx..xxx", "xxx.xxxx", "xxxx.xxx", "xxxxxxxx", "xxx..xxx")

    choice = best_available(seats, 4)

    assert choice == Choice(
        seat_ids=_ids(0, range(3, 5)) + _ids(4, range(3, 5)), together=False, rows=2
    )


def test_a_split_across_an_aisle_stays_in_one_row():
    seats = _plan("xxx.. ..xxx", ".x.x.x.x.x.", ".x.x.x.x.x.")

    choice = best_available(seats, 4)

    assert choice == Choice(
        seat_ids=_ids(0, range(3, 5)) + _ids(0, range(6, 8)), together=False, rows=1
    )


def test_wheelchair_spaces_are_left_for_those_who_need_them():
    seats = _plan("xxwwwwwwxx", "....xx....")

    choice = best_available(seats, 4)

    assert choice == Choice(seat_ids=_ids(1, range(0, 4)), together=True, rows=1)


def test_wheelchair_spaces_are_given_when_nothing_else_is_possible():
    seats = _plan("xxwwwwwwxx", "xxxxx..xxx")

    choice = best_available(seats, 4)

    assert choice == Choice(seat_ids=_ids(0, range(2, 6)), together=True, rows=1)


def test_too_few_free_seats_in_the_zone_gives_none():
    seats = _plan("..........", "xxxxxx...x", zones=(1, 2))

    assert best_available(seats, 4, zone=2) is None
    assert best_available(seats, 14) is None
    assert best_available([], 1) is None


def test_a_count_below_one_is_refused():
    with pytest.raises(ValueError):
        best_available(_plan("...."), 0)


# Properties over random halls: 1-3 sections, 1-30 rows, 1-40 seats per row, aisles,
# zones per row or per seat, random wheelchair spaces and taken seats.


@st.composite
def cases(draw) -> tuple[list[SeatInfo], dict]:
    """A random hall and a request for it (its zone and section may hold nothing)."""
    sections = draw(st.integers(1, 3))
    rows = draw(st.integers(1, 30))
    widest = draw(st.integers(1, 40))
    free = draw(st.sampled_from([0.05, 0.3, 0.6, 0.85, 1.0]))
    aisles = draw(st.sampled_from([0.0, 0.05, 0.2]))
    zones = draw(st.integers(1, 3))
    zone_per_seat = draw(st.booleans())
    wheelchair = draw(st.sampled_from([0.0, 0.0, 0.1]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    seats = []
    for section in range(sections):
        for row_order in range(rng.randint(1, rows)):
            row_zone = rng.randint(1, zones)
            order = rng.randint(0, 3)
            for _seat in range(rng.randint(1, widest)):
                seats.append(
                    SeatInfo(
                        id=len(seats) + 1,
                        section=section,
                        row_order=row_order,
                        order=order,
                        zone=rng.randint(1, zones) if zone_per_seat else row_zone,
                        x=order * 0.9 + rng.uniform(-0.1, 0.1),
                        y=row_order * 1.2,
                        free=rng.random() < free,
                        wheelchair=rng.random() < wheelchair,
                    )
                )
                order += rng.randint(2, 3) if rng.random() < aisles else 1
    rng.shuffle(seats)
    request = {
        "count": draw(st.integers(1, 8)),
        "zone": draw(st.none() | st.integers(1, zones)),
        "section": draw(st.none() | st.integers(0, sections - 1)),
    }
    return seats, request


def _pool(seats, count, zone, section) -> list[SeatInfo]:
    """The seats the request may have, by the module's rules, computed naively."""
    wanted = [
        seat
        for seat in seats
        if seat.free
        and (zone is None or seat.zone == zone)
        and (section is None or seat.section == section)
    ]
    ordinary = [seat for seat in wanted if not seat.wheelchair]
    return ordinary if len(ordinary) >= count else wanted


def _at(seats) -> dict[tuple[int, int, int], SeatInfo]:
    return {(seat.section, seat.row_order, seat.order): seat for seat in seats}


def _blocks(pool, count) -> list[list[SeatInfo]]:
    """Every `count` neighbours of one row in the pool."""
    at = _at(pool)
    blocks = []
    for seat in pool:
        keys = [
            (seat.section, seat.row_order, seat.order + step) for step in range(count)
        ]
        if all(key in at for key in keys):
            blocks.append([at[key] for key in keys])
    return blocks


def _orphans(seats, free_ids) -> set[int]:
    at = _at(seats)

    def free(section, row_order, order):
        seat = at.get((section, row_order, order))
        return seat is not None and seat.id in free_ids

    return {
        seat.id
        for seat in seats
        if seat.id in free_ids
        and not free(seat.section, seat.row_order, seat.order - 1)
        and not free(seat.section, seat.row_order, seat.order + 1)
    }


def _strands(seats, block_ids) -> bool:
    free_ids = {seat.id for seat in seats if seat.free}
    before = _orphans(seats, free_ids)
    return bool(_orphans(seats, free_ids - set(block_ids)) - before)


def _fewest_pieces(pool, count) -> int:
    """Fewest stretches of neighbours that seat `count`: the largest runs first."""
    at = _at(pool)
    lengths = []
    for seat in pool:
        if (seat.section, seat.row_order, seat.order - 1) not in at:
            length = 1
            while (seat.section, seat.row_order, seat.order + length) in at:
                length += 1
            lengths.append(length)
    lengths.sort(reverse=True)
    pieces = total = 0
    while total < count:
        total += lengths[pieces]
        pieces += 1
    return pieces


def _pieces(chosen) -> int:
    keys = {(seat.section, seat.row_order, seat.order) for seat in chosen}
    return sum((s, r, o - 1) not in keys for s, r, o in keys)


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_only_free_seats_of_the_request_and_exactly_count_of_them(case):
    seats, request = case
    pool = _pool(seats, **request)

    choice = best_available(seats, **request)

    if len(pool) < request["count"]:
        assert choice is None
        return
    by_id = {seat.id: seat for seat in seats}
    chosen = [by_id[seat_id] for seat_id in choice.seat_ids]
    assert len(set(choice.seat_ids)) == len(choice.seat_ids) == request["count"]
    assert {seat.id for seat in chosen} <= {seat.id for seat in pool}
    assert all(seat.free for seat in chosen)
    assert choice.rows == len({(seat.section, seat.row_order) for seat in chosen})


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_a_group_sits_together_in_the_best_zone_without_orphans_when_it_can(case):
    seats, request = case
    pool = _pool(seats, **request)
    blocks = _blocks(pool, request["count"])

    choice = best_available(seats, **request)

    if not blocks:
        return
    by_id = {seat.id: seat for seat in seats}
    chosen = [by_id[seat_id] for seat_id in choice.seat_ids]
    assert choice.together and choice.rows == 1
    assert len({(seat.section, seat.row_order) for seat in chosen}) == 1
    orders = [seat.order for seat in chosen]
    assert orders == list(range(orders[0], orders[0] + request["count"]))
    best_zone = min(max(seat.zone for seat in block) for block in blocks)
    assert max(seat.zone for seat in chosen) == best_zone
    clean = [
        block
        for block in blocks
        if max(seat.zone for seat in block) == best_zone
        and not _strands(seats, [seat.id for seat in block])
    ]
    if clean:
        assert not _strands(seats, choice.seat_ids)


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_a_group_that_cannot_sit_together_gets_the_fewest_pieces(case):
    seats, request = case
    pool = _pool(seats, **request)
    count = request["count"]
    if len(pool) < count or _blocks(pool, count):
        return

    choice = best_available(seats, **request)

    by_id = {seat.id: seat for seat in seats}
    chosen = [by_id[seat_id] for seat_id in choice.seat_ids]
    assert not choice.together
    assert _pieces(chosen) == _fewest_pieces(pool, count) > 1
