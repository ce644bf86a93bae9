"""Best available: choose the best free seats for a request of `count` seats.

Pure code on plain data (no models, no database). The caller reads the performance's
seats once, turns them into `SeatInfo` and calls `best_available`; claiming the chosen
seats (the conditional write) stays with the seating service. `best_available` returns
a `Choice`, or None when fewer than `count` eligible seats exist.

Words used below
    row       the seats of one (section, row_order), ordered by `order`; consecutive
              `order` values are neighbours, a gap in `order` is an aisle.
    eligible  free, in the requested zone and section, and not a wheelchair space.
              Wheelchair spaces join the pool only when fewer than `count` ordinary
              seats are eligible, i.e. when nothing else is possible.
    run       a maximal stretch of eligible neighbours in one row.
    orphan    a free seat whose two neighbours are taken (or an aisle or a row edge).
              It is judged on every free seat of the row (any zone, wheelchair or not),
              since another request may still buy a seat this request may not. A block
              creates an orphan when it leaves exactly one free seat between itself
              and a taken seat, an aisle or a row edge.
    score     (row_order - the section's front row_order)
              + CENTRE_WEIGHT * |block centre x - row centre x| / seat pitch
              lower is better. The row centre is the middle of the row's x range (all
              its seats, taken or not), the block centre the middle of its first and
              last seat, and the pitch the row's x distance per `order` step. With
              CENTRE_WEIGHT 0.5, two seats off the centre weigh as much as one row back.

Together: when some run holds `count` seats, the answer is one block of `count`
neighbours (together=True). Blocks are ranked by
    1. zone: the block's worst zone, lowest first (matters only when zone is None);
    2. orphans the block creates, fewest first, so a block that leaves none beats any
       block that leaves one (within the best zone);
    3. score;
    4. section, row_order, order: only to make ties deterministic.

Split: otherwise the seats come in pieces, each a stretch of one run (together=False).
    1. the fewest pieces possible: take the largest runs, so every piece but the last
       is a whole run, and a row split by an aisle may hold two pieces;
    2. the rows closest together: the smallest row_order span within one section
       (a window of rows), then the fewest rows; runs of several sections are mixed
       only when no single section can seat the request in that many pieces;
    3. then the worst zone, the orphans created, and the summed score of the pieces.
    Inside a window the largest runs are taken, on equal length the better one by
    the together ranking; the last piece takes the best stretch of its run by that
    ranking.

Cost: grouping the seats into rows sorts them once (n log n); runs are built in one
pass; together-blocks are scored per window of each long enough run, and the split
search slides a window over each section's rows.
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CENTRE_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class SeatInfo:
    id: int
    section: int
    row_order: int
    order: int
    zone: int
    x: float
    y: float
    free: bool
    wheelchair: bool = False


@dataclass(frozen=True)
class Choice:
    """The chosen seats, front to back and left to right within each row."""

    seat_ids: list[int]
    together: bool
    rows: int


@dataclass(frozen=True, slots=True)
class _Row:
    section: int
    row_order: int
    rank: int  # rows behind the section's front row
    centre: float
    pitch: float


@dataclass(frozen=True, slots=True)
class _Run:
    row: _Row
    seats: list[SeatInfo]
    left_free: int  # free seats just left of the run (not eligible for this request)
    right_free: int

    def key(self, start: int, size: int) -> tuple:
        """Rank the block seats[start:start + size]: (zone, orphans, score, tie)."""
        seats = self.seats
        first, last = seats[start], seats[start + size - 1]
        left = self.left_free + start
        right = self.right_free + len(seats) - start - size
        centre = (first.x + last.x) / 2
        offset = abs(centre - self.row.centre) / self.row.pitch
        return (
            max(seat.zone for seat in seats[start : start + size]),
            (left == 1) + (right == 1),
            self.row.rank + CENTRE_WEIGHT * offset,
            (self.row.section, self.row.row_order, first.order),
        )

    def best_start(self, size: int) -> tuple[tuple, int]:
        return min(
            (self.key(start, size), start)
            for start in range(len(self.seats) - size + 1)
        )


def best_available(
    seats: Iterable[SeatInfo],
    count: int,
    zone: int | None = None,
    section: int | None = None,
) -> Choice | None:
    """Choose `count` seats, or None when fewer than `count` seats are eligible."""
    if count < 1:
        raise ValueError("count must be at least 1")
    rows = _rows(seats, section)

    def eligible(seat: SeatInfo) -> bool:
        return seat.free and (zone is None or seat.zone == zone)

    pool = [seat for row in rows.values() for seat in row if eligible(seat)]
    if len(pool) < count:
        return None
    ordinary = sum(not seat.wheelchair for seat in pool)
    with_wheelchair = ordinary < count
    runs = list(
        _runs(
            rows,
            lambda seat: eligible(seat) and (with_wheelchair or not seat.wheelchair),
        )
    )
    return _together(runs, count) or _split(runs, count)


def _rows(
    seats: Iterable[SeatInfo], section: int | None
) -> dict[tuple[int, int], list[SeatInfo]]:
    rows: dict[tuple[int, int], list[SeatInfo]] = defaultdict(list)
    for seat in seats:
        if section is None or seat.section == section:
            rows[seat.section, seat.row_order].append(seat)
    for row in rows.values():
        row.sort(key=lambda seat: seat.order)
    return rows


def _row_info(key: tuple[int, int], seats: list[SeatInfo], front: int) -> _Row:
    low = min(seat.x for seat in seats)
    high = max(seat.x for seat in seats)
    steps = seats[-1].order - seats[0].order
    pitch = (high - low) / steps if steps and high > low else 1.0
    return _Row(key[0], key[1], key[1] - front, (low + high) / 2, pitch)


def _runs(rows: dict[tuple[int, int], list[SeatInfo]], eligible) -> Iterator[_Run]:
    """Every run of eligible seats, with the free seats that border it."""
    fronts: dict[int, int] = {}
    for section, row_order in rows:
        fronts[section] = min(row_order, fronts.get(section, row_order))
    for key, seats in rows.items():
        row = _row_info(key, seats, fronts[key[0]])
        for stretch in _free_stretches(seats):
            start = None
            for index, seat in enumerate([*stretch, None]):
                if seat is not None and eligible(seat):
                    start = index if start is None else start
                elif start is not None:
                    yield _Run(row, stretch[start:index], start, len(stretch) - index)
                    start = None


def _free_stretches(seats: list[SeatInfo]) -> Iterator[list[SeatInfo]]:
    """The row's maximal stretches of free neighbours (taken seats and aisles cut)."""
    stretch: list[SeatInfo] = []
    for seat in seats:
        if stretch and seat.order != stretch[-1].order + 1:
            yield stretch
            stretch = []
        if seat.free:
            stretch.append(seat)
        elif stretch:
            yield stretch
            stretch = []
    if stretch:
        yield stretch


def _together(runs: list[_Run], count: int) -> Choice | None:
    candidates = [
        run.best_start(count) + (run,) for run in runs if len(run.seats) >= count
    ]
    if not candidates:
        return None
    _key, start, run = min(candidates, key=lambda found: found[0])
    return Choice([seat.id for seat in run.seats[start : start + count]], True, 1)


def _split(runs: list[_Run], count: int) -> Choice:
    """Seat the request in the fewest pieces, in rows as close together as possible.

    Only called when no run holds `count` seats and the runs hold `count` in all."""
    lengths = sorted((len(run.seats) for run in runs), reverse=True)
    pieces, total = 0, 0
    while total < count:
        total += lengths[pieces]
        pieces += 1
    by_section: dict[int, dict[int, list[_Run]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for run in runs:
        by_section[run.row.section][run.row.row_order].append(run)
    windows = [
        (span, [run for row_order in chosen for run in by_row[row_order]])
        for by_row in by_section.values()
        for span, chosen in _row_windows(by_row, pieces, count)
    ]
    if windows:
        narrowest = min(span for span, _found in windows)
        picks = [
            _pick(found, pieces, count) for span, found in windows if span == narrowest
        ]
    else:
        picks = [_pick(runs, pieces, count)]
    _cost, chosen = min(picks, key=lambda pick: pick[0])
    chosen.sort(key=lambda seat: (seat.section, seat.row_order, seat.order))
    rows = {(seat.section, seat.row_order) for seat in chosen}
    return Choice([seat.id for seat in chosen], False, len(rows))


def _row_windows(
    by_row: dict[int, list[_Run]], pieces: int, count: int
) -> Iterator[tuple[int, list[int]]]:
    """For each first row, the fewest following rows whose `pieces` largest runs hold
    `count` seats (two pointers over the section's rows, front to back)."""
    orders = sorted(by_row)
    lengths: list[int] = []  # run lengths inside the window, ascending
    end = 0
    for begin, first in enumerate(orders):
        while end < len(orders) and sum(lengths[-pieces:]) < count:
            for run in by_row[orders[end]]:
                insort(lengths, len(run.seats))
            end += 1
        if sum(lengths[-pieces:]) < count:
            return
        yield orders[end - 1] - first, orders[begin:end]
        for run in by_row[first]:
            lengths.remove(len(run.seats))


def _pick(runs: list[_Run], pieces: int, count: int) -> tuple[tuple, list[SeatInfo]]:
    """The `pieces` largest runs (better score first on equal length), filled in
    that order; returns the cost of the result and its seats."""
    ranked = sorted(runs, key=lambda run: (-len(run.seats), run.key(0, len(run.seats))))
    chosen: list[SeatInfo] = []
    keys = []
    for run in ranked[:pieces]:
        size = min(len(run.seats), count - len(chosen))
        key, start = run.best_start(size)
        keys.append(key)
        chosen.extend(run.seats[start : start + size])
    row_orders = [seat.row_order for seat in chosen]
    cost = (
        max(row_orders) - min(row_orders),
        len({(seat.section, seat.row_order) for seat in chosen}),
        max(key[0] for key in keys),
        sum(key[1] for key in keys),
        sum(key[2] for key in keys),
        min(key[3] for key in keys),
    )
    return cost, chosen
