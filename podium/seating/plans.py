"""Seat plans of a hall: generate sections, write plan versions, copy with changes.

A plan is never edited in place. Every change writes the hall's next version, and
the old versions stay, because a performance keeps the version it went on sale with.

Geometry is in seat units. A seat's `x`/`y` is its centre: seats sit 1.0 apart along
a row, rows sit 1.2 apart, and the stage lies towards smaller `y`. `order` counts the
seats of a row from left to right as seen from the hall (facing the stage), from 0.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Literal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from podium.core.audit import audit_log
from podium.core.errors import NotFound
from podium.core.i18n import clean_translations, localize
from podium.tenancy.models import Hall, House

from .errors import SeatingError, SeatingErrorCode
from .models import Seat, SeatPlan, Section

MAX_SEATS = 5000
LABEL_MAX_LENGTH = 8
NOTE_MAX_LENGTH = 200
SMALLINT_MAX = 32767
SEAT_PITCH = 1.0
ROW_PITCH = 1.2
AISLE_WIDTH = 1.0
FLAGS = ("wheelchair", "companion", "restricted_view", "blocked", "kept")
CHANGEABLE = frozenset({"zone", *FLAGS})
# Seats are rounded to a thousandth of a seat, so that exports read back identically.
PRECISION = 3

Shape = Literal["straight", "curved"]
Numbering = Literal["continuous", "odd_even"]
SeatKey = tuple[int, str, str]


@dataclass(frozen=True)
class SeatSpec:
    row: str
    number: str
    row_order: int
    order: int
    x: float
    y: float
    zone: int = 1
    wheelchair: bool = False
    companion: bool = False
    restricted_view: bool = False
    blocked: bool = False
    kept: bool = False


@dataclass
class SectionSpec:
    name: dict
    seats: list[SeatSpec] = field(default_factory=list)
    # None: the section's index in its plan.
    position: int | None = None
    # Where the rows of a curved section are centred (a drawing aid; not stored).
    centre: tuple[float, float] | None = None


@dataclass
class PlanSpec:
    sections: list[SectionSpec] = field(default_factory=list)

    @property
    def seat_count(self) -> int:
        return sum(len(section.seats) for section in self.sections)


# --- Generating a section ------------------------------------------------------------


def _invalid(message, field_name: str | None = None, **params) -> SeatingError:
    return SeatingError(
        message, code=SeatingErrorCode.INVALID, field=field_name, params=params
    )


def row_labels(first_row: str, count: int) -> list[str]:
    """`count` row labels from `first_row`: A, B, … Z, AA, AB, …; or 1, 2, 3, …"""
    first = (first_row or "").strip().upper()
    if re.fullmatch(r"[0-9]{1,4}", first):
        return [str(int(first) + index) for index in range(count)]
    if not re.fullmatch(r"[A-Z]{1,3}", first):
        raise _invalid(
            _("The first row must be letters (A, AA, …) or a number, not “%(value)s”."),
            "first_row",
            value=first_row,
        )
    start = 0
    for letter in first:  # bijective base 26: A=1 … Z=26, AA=27
        start = start * 26 + ord(letter) - ord("A") + 1
    labels = []
    for value in range(start, start + count):
        label = ""
        while value:
            value, digit = divmod(value - 1, 26)
            label = chr(ord("A") + digit) + label
        labels.append(label)
    return labels


def seat_numbers(count: int, numbering: Numbering) -> list[str]:
    """Seat numbers of a row of `count` seats, from left to right.

    "continuous" is 1 … n. "odd_even" is the Belgian and French style: odd numbers
    on the left, even on the right, both rising from the centre outwards (… 5 3 1 2
    4 6 …); the odd side takes the extra seat of an odd-sized row.
    """
    if numbering == "continuous":
        return [str(number) for number in range(1, count + 1)]
    if numbering == "odd_even":
        odd = (count + 1) // 2
        left = [str(2 * k - 1) for k in range(odd, 0, -1)]
        right = [str(2 * k) for k in range(1, count - odd + 1)]
        return left + right
    raise _invalid(
        _("Unknown numbering “%(value)s”."), "numbering", value=str(numbering)
    )


def _row_counts(rows: int, seats_per_row: int | list[int]) -> list[int]:
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
        raise _invalid(_("A section needs at least one row."), "rows")
    counts = (
        [seats_per_row] * rows
        if isinstance(seats_per_row, int)
        else list(seats_per_row)
    )
    if len(counts) != rows:
        raise _invalid(
            _("Give a number of seats for each of the %(rows)s rows."),
            "seats_per_row",
            rows=rows,
        )
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in counts):
        raise _invalid(_("Every row needs at least one seat."), "seats_per_row")
    if sum(counts) > MAX_SEATS:
        raise _too_large(sum(counts))
    return counts


def _zones(rows: int, zone_rows: list[int] | None) -> list[int]:
    bounds = list(zone_rows or [])
    if any(isinstance(b, bool) or not isinstance(b, int) or b < 1 for b in bounds) or (
        bounds != sorted(set(bounds))
    ):
        raise _invalid(
            _("Rank boundaries must be rising row numbers, such as 6, 12."),
            "zone_rows",
        )
    return [1 + sum(1 for bound in bounds if bound < row) for row in range(1, rows + 1)]


def _offsets(count: int, aisle_after: Iterable[int]) -> list[float]:
    """Each seat's distance along its row from the first seat, aisles included."""
    return [
        index * SEAT_PITCH + AISLE_WIDTH * sum(1 for p in aisle_after if p <= index)
        for index in range(count)
    ]


def _curve(
    offsets: list[list[float]], widest: float, radius: float | None
) -> tuple[list[list[tuple[float, float]]], tuple[float, float]]:
    """Rows as arcs around one centre before the stage; the front row has `radius`."""
    first = radius if radius is not None else max(widest, 2 * SEAT_PITCH)
    if not first > 0 or any(
        row[-1] / (first + r * ROW_PITCH) > math.pi for r, row in enumerate(offsets)
    ):
        raise _invalid(
            _(
                "The radius is too small: a row would bend round more than half a circle."
            ),
            "radius",
        )
    centre = (widest / 2, -first)
    rows = []
    for r, row in enumerate(offsets):
        arc = first + r * ROW_PITCH
        half = row[-1] / 2
        rows.append(
            [
                (
                    centre[0] + arc * math.sin((o - half) / arc),
                    centre[1] + arc * math.cos((o - half) / arc),
                )
                for o in row
            ]
        )
    return rows, centre


def generate_section(
    *,
    name: dict,
    rows: int,
    seats_per_row: int | list[int],
    shape: Shape = "straight",
    numbering: Numbering = "continuous",
    first_row: str = "A",
    origin_y: float = 0,
    zone_rows: list[int] | None = None,
    aisle_after: list[int] | None = None,
    origin_x: float = 0,
    radius: float | None = None,
) -> SectionSpec:
    """A section of `rows` rows, the front row first; writes nothing.

    Rows are centred on the widest one, whose first seat is at `origin_x`; the seat
    nearest the stage is at `origin_y`. A curved section bends its rows round one
    centre before the stage, the front row with `radius` (default: the widest row's
    length). `zone_rows` [6, 12] ranks rows 1–6 as 1, 7–12 as 2 and the rest as 3;
    `aisle_after` [4] leaves one seat's width free after each row's 4th seat from
    the left (rows too short for an aisle have none).
    """
    counts = _row_counts(rows, seats_per_row)
    labels = row_labels(first_row, rows)
    zones = _zones(rows, zone_rows)
    aisles = sorted(set(aisle_after or []))
    if any(isinstance(p, bool) or not isinstance(p, int) or p < 1 for p in aisles):
        raise _invalid(_("Aisles go after a seat position from 1."), "aisle_after")
    offsets = [_offsets(count, aisles) for count in counts]
    widest = max(row[-1] for row in offsets)
    centre = None
    if shape == "straight":
        points = [
            [((widest - row[-1]) / 2 + o, r * ROW_PITCH) for o in row]
            for r, row in enumerate(offsets)
        ]
    elif shape == "curved":
        points, centre = _curve(offsets, widest, radius)
    else:
        raise _invalid(_("Unknown shape “%(value)s”."), "shape", value=str(shape))
    shift_y = origin_y - min(y for row in points for _x, y in row)
    seats = [
        SeatSpec(
            row=labels[r],
            number=number,
            row_order=r,
            # An aisle leaves a gap in `order` too: seats across it are not adjacent.
            order=order + sum(1 for p in aisles if p <= order),
            x=round(origin_x + x, PRECISION) + 0.0,
            y=round(shift_y + y, PRECISION) + 0.0,
            zone=zones[r],
        )
        for r, row in enumerate(points)
        for order, ((x, y), number) in enumerate(
            zip(row, seat_numbers(len(row), numbering), strict=True)
        )
    ]
    if centre is not None:
        centre = (origin_x + centre[0], shift_y + centre[1])
    return SectionSpec(name=name, seats=seats, centre=centre)


# --- Validating a plan ---------------------------------------------------------------


def _too_large(count: int) -> SeatingError:
    return SeatingError(
        _("A seat plan has at most %(maximum)s seats; this one has %(count)s."),
        code=SeatingErrorCode.PLAN_TOO_LARGE,
        params={"maximum": MAX_SEATS, "count": count},
    )


def _is_whole(value, low: int, high: int = SMALLINT_MAX) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
    )


def _seat_problem(seat: SeatSpec):
    """The message for what is wrong with one seat's values, or None."""
    for label in (seat.row, seat.number):
        if not isinstance(label, str) or not label.strip():
            return _("a seat needs a row and a number")
        if len(label) > LABEL_MAX_LENGTH:
            return _("row and number have at most 8 characters")
    if not _is_whole(seat.row_order, 0) or not _is_whole(seat.order, 0):
        return _("row_order and order must be whole numbers from 0")
    if not _is_whole(seat.zone, 1):
        return _("the rank must be a whole number from 1")
    for value in (seat.x, seat.y):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("x and y must be numbers")
        if not math.isfinite(value):
            return _("x and y must be finite numbers")
    if any(not isinstance(getattr(seat, flag), bool) for flag in FLAGS):
        return _("the flags must be true or false")
    return None


def _validated_section(position: int, section: SectionSpec) -> dict:
    name = clean_translations(section.name if isinstance(section.name, dict) else {})
    if not name:
        raise _invalid(_("Give section %(position)s a name."), position=position)
    label = localize(name)
    if not section.seats:
        raise SeatingError(
            _("Section %(section)s has no seats."),
            code=SeatingErrorCode.PLAN_EMPTY,
            params={"section": label},
        )
    labels, places = set(), set()
    for seat in section.seats:
        problem = _seat_problem(seat)
        if problem:
            raise _invalid(
                _("Section %(section)s, seat %(row)s-%(number)s: %(problem)s."),
                section=label,
                row=seat.row,
                number=seat.number,
                problem=problem,
            )
        if (seat.row, seat.number) in labels:
            raise SeatingError(
                _("Section %(section)s has seat %(row)s-%(number)s twice."),
                code=SeatingErrorCode.DUPLICATE_SEAT,
                params={"section": label, "row": seat.row, "number": seat.number},
            )
        if (seat.row_order, seat.order) in places:
            raise SeatingError(
                _(
                    "Section %(section)s has two seats at row_order %(row_order)s, "
                    "order %(order)s."
                ),
                code=SeatingErrorCode.DUPLICATE_POSITION,
                params={
                    "section": label,
                    "row_order": seat.row_order,
                    "order": seat.order,
                },
            )
        labels.add((seat.row, seat.number))
        places.add((seat.row_order, seat.order))
    seats = sorted(section.seats, key=lambda s: (s.row_order, s.order))
    return {"position": position, "name": name, "seats": seats}


def _validated_sections(spec: PlanSpec) -> list[dict]:
    """The plan's sections by position, each checked; raises on the first problem."""
    count = spec.seat_count
    if count == 0:
        raise SeatingError(
            _("A seat plan needs at least one seat."), code=SeatingErrorCode.PLAN_EMPTY
        )
    if count > MAX_SEATS:
        raise _too_large(count)
    sections = []
    for index, section in enumerate(spec.sections):
        position = index if section.position is None else section.position
        if not _is_whole(position, 0):
            raise _invalid(
                _("A section's position must be a whole number from 0."), "position"
            )
        sections.append(_validated_section(position, section))
    positions = [section["position"] for section in sections]
    if len(set(positions)) != len(positions):
        twice = next(p for p in positions if positions.count(p) > 1)
        raise SeatingError(
            _("Two sections have position %(position)s."),
            code=SeatingErrorCode.DUPLICATE_SECTION,
            params={"position": twice},
        )
    return sorted(sections, key=lambda section: section["position"])


# --- Writing plans -------------------------------------------------------------------


def _locked_seated_hall(*, house: House, hall: Hall) -> Hall:
    # Versions of one hall are numbered under the hall's row lock, so two staff
    # members saving a plan at once get versions n+1 and n+2, not a clash.
    locked = (
        Hall.objects.select_for_update()
        .filter(pk=hall.pk, house_id=house.pk)
        .order_by("pk")
        .first()
        if hall.house_id == house.pk
        else None
    )
    if locked is None:
        raise NotFound(_("Hall not found."))
    if locked.kind != Hall.Kind.SEATED:
        raise SeatingError(
            _("%(hall)s is a standing hall: only a seated hall has a seat plan."),
            code=SeatingErrorCode.HALL_NOT_SEATED,
            field="hall",
            params={"hall": locked.name},
        )
    return locked


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise _invalid(
            _("Keep the note to %(maximum)s characters."),
            "note",
            maximum=NOTE_MAX_LENGTH,
        )
    return note


def _plan_write(
    *, house: House, hall: Hall, sections: list[dict], note: str
) -> SeatPlan:
    """Write validated sections as the hall's next version (the hall is locked)."""
    latest = SeatPlan.objects.filter(house=house, hall=hall).aggregate(
        latest=Max("version")
    )["latest"]
    seats = [seat for section in sections for seat in section["seats"]]
    xs, ys = [s.x for s in seats], [s.y for s in seats]
    plan = SeatPlan.objects.create(
        house=house,
        hall=hall,
        version=(latest or 0) + 1,
        # The seats' centres span this, plus half a seat on every side.
        width=round(max(xs) - min(xs) + SEAT_PITCH, PRECISION),
        height=round(max(ys) - min(ys) + SEAT_PITCH, PRECISION),
        note=note,
    )
    rows = []
    for section in sections:
        row = Section.objects.create(
            plan=plan, name=section["name"], position=section["position"]
        )
        rows.extend(
            Seat(plan=plan, section=row, **vars(seat)) for seat in section["seats"]
        )
    Seat.objects.bulk_create(rows)
    return plan


@transaction.atomic
def plan_create(
    *, house: House, actor, hall: Hall, spec: PlanSpec, note: str = ""
) -> SeatPlan:
    """Write `spec` as the hall's next plan version (the first is 1)."""
    hall = _locked_seated_hall(house=house, hall=hall)
    sections = _validated_sections(spec)
    plan = _plan_write(
        house=house, hall=hall, sections=sections, note=_clean_note(note)
    )
    audit_log(
        action="podium.seating.plan.created",
        obj=plan,
        actor=actor,
        data={
            "hall": hall.pk,
            "version": plan.version,
            "sections": len(sections),
            "seats": spec.seat_count,
            "note": plan.note,
        },
    )
    return plan


def plan_current(*, hall: Hall) -> SeatPlan | None:
    """The hall's newest plan version, or None when it has none."""
    return (
        SeatPlan.objects.filter(house_id=hall.house_id, hall=hall)
        .order_by("-version")
        .first()
    )


def plan_to_spec(*, plan: SeatPlan) -> PlanSpec:
    """The plan's sections and seats as plain data, in plan order."""
    seats: dict[int, list[SeatSpec]] = {}
    for values in (
        Seat.objects.filter(plan=plan)
        .order_by("row_order", "order")
        .values("section_id", *(f.name for f in fields(SeatSpec)))
    ):
        section_id = values.pop("section_id")
        seats.setdefault(section_id, []).append(SeatSpec(**values))
    return PlanSpec(
        sections=[
            SectionSpec(
                name=dict(section.name),
                seats=seats.get(section.pk, []),
                position=section.position,
            )
            for section in Section.objects.filter(plan=plan).order_by("position", "pk")
        ]
    )


def _changed_seat(seat: SeatSpec, updates: dict, key: SeatKey) -> SeatSpec:
    unknown = sorted(set(updates) - CHANGEABLE)
    if unknown:
        raise _invalid(
            _("Only a seat's rank and flags can change, not %(fields)s."),
            fields=", ".join(map(str, unknown)),
        )
    for name, value in updates.items():
        if (name == "zone" and not _is_whole(value, 1)) or (
            name != "zone" and not isinstance(value, bool)
        ):
            raise _invalid(
                _("Seat %(row)s-%(number)s: %(field)s cannot be “%(value)s”."),
                name,
                row=key[1],
                number=key[2],
                field=name,
                value=str(value),
            )
    return replace(seat, **updates)


def _apply_changes(
    spec: PlanSpec, changes: dict[SeatKey, dict]
) -> tuple[PlanSpec, dict[str, dict]]:
    """`spec` with the changes made, and the changes as (before, after) per seat."""
    where = {}
    for s, section in enumerate(spec.sections):
        for i, seat in enumerate(section.seats):
            where[(section.position, seat.row, seat.number)] = (s, i)
    log = {}
    for key, updates in changes.items():
        position, row, number = key
        if (position, str(row), str(number)) not in where:
            raise SeatingError(
                _(
                    "Seat %(row)s-%(number)s of section %(position)s is not on this plan."
                ),
                code=SeatingErrorCode.UNKNOWN_SEAT,
                params={"position": position, "row": row, "number": number},
            )
        s, i = where[(position, str(row), str(number))]
        seat = spec.sections[s].seats[i]
        changed = _changed_seat(seat, dict(updates), key)
        spec.sections[s].seats[i] = changed
        log[f"{position}/{row}/{number}"] = {
            name: [getattr(seat, name), value] for name, value in updates.items()
        }
    return spec, log


@transaction.atomic
def plan_copy_with_changes(
    *,
    house: House,
    actor,
    plan: SeatPlan,
    changes: dict[SeatKey, dict],
    note: str = "",
) -> SeatPlan:
    """The hall's next version: a copy of `plan` with some seats' ranks and flags
    changed. `changes` maps (section position, row, number) to the new values, such
    as {(0, "A", "5"): {"blocked": True}, (0, "B", "1"): {"zone": 2}}.
    """
    if plan.house_id != house.pk:
        raise NotFound(_("Seat plan not found."))
    if not changes:
        raise SeatingError(
            _("Nothing to change: name the seats to change."),
            code=SeatingErrorCode.NO_CHANGES,
        )
    hall = _locked_seated_hall(house=house, hall=plan.hall)
    spec, log = _apply_changes(plan_to_spec(plan=plan), changes)
    sections = _validated_sections(spec)
    new = _plan_write(house=house, hall=hall, sections=sections, note=_clean_note(note))
    audit_log(
        action="podium.seating.plan.changed",
        obj=new,
        actor=actor,
        data={"from_version": plan.version, "version": new.version, "changes": log},
    )
    return new
