"""Seat plans to and from files: JSON (complete) and CSV (for spreadsheets).

Reading a file gives a PlanSpec; `plans.plan_create` then writes it as a new
version. Bad input raises PlanImportError, whose message names the CSV line or the
JSON field and the column.

JSON, format version 1 (keys other than these are refused)::

    {"format": "podium-seat-plan", "version": 1,
     "sections": [
       {"name": {"nl": "Zaal", "fr": "Salle", "en": "Stalls"}, "position": 0,
        "seats": [
          {"row": "A", "number": "1", "row_order": 0, "order": 0, "x": 0.0,
           "y": 0.0, "zone": 1, "wheelchair": false, "companion": false,
           "restricted_view": false, "blocked": false, "kept": false}]}]}

Reading, "position" defaults to the section's index, "zone" to 1 and each flag to
false; "name" may be a plain string (taken as Dutch).

CSV: a header line, then one line per seat, with the columns::

    section,row,number,row_order,order,x,y,zone,wheelchair,companion,
    restricted_view,blocked,kept

`section` is the section's Dutch name; sections are numbered in the order they
first appear. Columns may come in any order. A file separated by semicolons (as
Excel writes it in Belgium) may use decimal commas. Flags read 1/0, true/false,
yes/no, ja/nee or oui/non; an empty flag is no. Text is UTF-8 (a BOM is fine) or
Windows-1252.
"""

import csv
import io
import json
import math
import re

from django.utils.translation import gettext_lazy as _

from podium.core.i18n import clean_translations, localize

from .errors import PlanImportError, SeatingError, SeatingErrorCode
from .models import SeatPlan
from .plans import (
    FLAGS,
    LABEL_MAX_LENGTH,
    MAX_SEATS,
    SMALLINT_MAX,
    PlanSpec,
    SeatSpec,
    SectionSpec,
    plan_to_spec,
)

FORMAT = "podium-seat-plan"
FORMAT_VERSION = 1
CSV_COLUMNS = ("section", "row", "number", "row_order", "order", "x", "y", "zone")
CSV_COLUMNS += FLAGS
SEAT_KEYS = frozenset(CSV_COLUMNS) - {"section"}
REQUIRED_SEAT_KEYS = ("row", "number", "row_order", "order", "x", "y")
SECTION_KEYS = frozenset({"name", "position", "seats"})
TRUE = frozenset({"1", "true", "yes", "ja", "oui"})
FALSE = frozenset({"0", "false", "no", "nee", "non", ""})
NAME_MAX_LENGTH = 200


# --- Export ----------------------------------------------------------------------------


def _spec(plan: SeatPlan | PlanSpec) -> PlanSpec:
    return plan if isinstance(plan, PlanSpec) else plan_to_spec(plan=plan)


def _ordered(spec: PlanSpec) -> list[tuple[int, SectionSpec]]:
    numbered = [
        (index if section.position is None else section.position, section)
        for index, section in enumerate(spec.sections)
    ]
    return sorted(numbered, key=lambda item: item[0])


def _seats(section: SectionSpec) -> list[SeatSpec]:
    return sorted(section.seats, key=lambda seat: (seat.row_order, seat.order))


def plan_to_document(*, plan: SeatPlan | PlanSpec) -> dict:
    """The plan as a JSON-ready document (see the module's doc for the format)."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "sections": [
            {
                "name": dict(section.name),
                "position": position,
                "seats": [
                    {column: getattr(seat, column) for column in CSV_COLUMNS[1:]}
                    for seat in _seats(section)
                ],
            }
            for position, section in _ordered(_spec(plan))
        ],
    }


def plan_export_json(*, plan: SeatPlan | PlanSpec) -> str:
    return json.dumps(plan_to_document(plan=plan), ensure_ascii=False, indent=2)


def _csv_value(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value) if isinstance(value, float) else str(value)


def plan_export_csv(*, plan: SeatPlan | PlanSpec) -> str:
    """One line per seat under a header; sections by their Dutch name."""
    sections = _ordered(_spec(plan))
    names = [localize(section.name, "nl") for _position, section in sections]
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice is not None:
        raise SeatingError(
            _(
                "Two sections are called %(name)s in Dutch: rename one to export the "
                "plan as CSV."
            ),
            code=SeatingErrorCode.DUPLICATE_SECTION,
            params={"name": twice},
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for name, (_position, section) in zip(names, sections, strict=True):
        for seat in _seats(section):
            writer.writerow(
                [name, *(_csv_value(getattr(seat, c)) for c in CSV_COLUMNS[1:])]
            )
    return out.getvalue()


# --- Reading values --------------------------------------------------------------------


class _Bad(Exception):
    """A value that cannot be read; `kind` picks the message."""

    def __init__(self, kind: str, **params):
        super().__init__(kind)
        self.kind = kind
        self.params = params


def _text(value, maximum: int = LABEL_MAX_LENGTH) -> str:
    if value is None:
        raise _Bad("empty")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad("text")
    text = str(value).strip()
    if not text:
        raise _Bad("empty")
    if len(text) > maximum:
        raise _Bad("long", maximum=maximum)
    return text


def _number(value) -> float:
    if isinstance(value, bool) or value is None:
        raise _Bad("number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise _Bad("empty")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # a decimal comma
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
            raise _Bad("number")
        number = float(text)
    else:
        raise _Bad("number")
    if not math.isfinite(number):
        raise _Bad("number")
    return number + 0.0


def _whole(value, minimum: int) -> int:
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        number = int(value)
    elif isinstance(value, str) and not value.strip():
        raise _Bad("empty")
    if number is None or not minimum <= number <= SMALLINT_MAX:
        raise _Bad("whole", minimum=minimum)
    return number


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
    raise _Bad("flag")


def _seat(values: dict) -> SeatSpec:
    """A seat from raw values; _Bad carries the failing field in params["field"]."""
    readers = {
        "row": _text,
        "number": _text,
        "row_order": lambda v: _whole(v, 0),
        "order": lambda v: _whole(v, 0),
        "x": _number,
        "y": _number,
        "zone": lambda v: _whole(v, 1),
        **dict.fromkeys(FLAGS, _flag),
    }
    defaults = {"zone": 1, **dict.fromkeys(FLAGS, False)}
    read = {}
    for name, reader in readers.items():
        if name not in values and name in defaults:
            read[name] = defaults[name]
            continue
        try:
            read[name] = reader(values.get(name))
        except _Bad as bad:
            bad.params.update(field=name, value=_shown(values.get(name)))
            raise
    return SeatSpec(**read)


def _shown(value) -> str:
    text = (
        json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    )
    return text if len(text) <= 40 else text[:39] + "…"


# --- CSV import ------------------------------------------------------------------------

CSV_MESSAGES = {
    "empty": _("Line %(line)s: %(field)s is empty."),
    "text": _("Line %(line)s: %(field)s must be text."),
    "long": _("Line %(line)s: %(field)s has more than %(maximum)s characters."),
    "number": _("Line %(line)s: %(field)s must be a number, not “%(value)s”."),
    "whole": _(
        "Line %(line)s: %(field)s must be a whole number from %(minimum)s, "
        "not “%(value)s”."
    ),
    "flag": _(
        "Line %(line)s: %(field)s must be yes or no (1/0, true/false, yes/no, "
        "ja/nee), not “%(value)s”."
    ),
}


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("cp1252")
    except UnicodeDecodeError as error:
        raise PlanImportError(
            _("The file is neither UTF-8 nor Windows-1252 text.")
        ) from error


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=first.count)


def _header(cells: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in cells]
    while names and not names[-1]:
        names.pop()  # spreadsheets add empty columns at the end
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice is not None:
        raise PlanImportError(
            _("The header names the column %(column)s twice."),
            field="header",
            params={"column": twice or '""'},
        )
    missing = [column for column in CSV_COLUMNS if column not in names]
    if missing:
        raise PlanImportError(
            _("The header lacks the columns: %(columns)s."),
            field="header",
            params={"columns": ", ".join(missing)},
        )
    unknown = [name or '""' for name in names if name not in CSV_COLUMNS]
    if unknown:
        raise PlanImportError(
            _("The header has unknown columns: %(columns)s."),
            field="header",
            params={"columns": ", ".join(unknown)},
        )
    return {name: index for index, name in enumerate(names)}


def _csv_lines(text: str):
    """(line number, cells) of each non-blank line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, cells
    except csv.Error as error:
        raise PlanImportError(
            _("Line %(line)s cannot be read: %(error)s."),
            params={"line": reader.line_num, "error": str(error)},
        ) from error


def _csv_seat(line: int, cells: list[str], columns: dict[str, int]) -> tuple:
    if len(cells) < len(columns) or any(c.strip() for c in cells[len(columns) :]):
        raise PlanImportError(
            _("Line %(line)s has %(count)s fields where the header has %(expected)s."),
            params={"line": line, "count": len(cells), "expected": len(columns)},
        )
    values = {name: cells[index] for name, index in columns.items()}
    try:
        try:
            section = _text(values["section"], NAME_MAX_LENGTH)
        except _Bad as bad:
            bad.params.update(field="section", value=values["section"])
            raise
        return section, _seat(values)
    except _Bad as bad:
        raise PlanImportError(
            CSV_MESSAGES[bad.kind],
            field=bad.params["field"],
            params={"line": line, **bad.params},
        ) from None


def plan_import_csv(data: str | bytes) -> PlanSpec:
    """A PlanSpec from CSV text (see the module's doc for the columns)."""
    lines = _csv_lines(_decode(data))
    first = next(lines, None)
    if first is None:
        raise PlanImportError(
            _("The file is empty: it needs a header line and a line per seat."),
            code=SeatingErrorCode.PLAN_EMPTY,
        )
    columns = _header(first[1])
    sections: dict[str, SectionSpec] = {}
    labels: dict[tuple, int] = {}
    places: dict[tuple, int] = {}
    for line, cells in lines:
        name, seat = _csv_seat(line, cells, columns)
        label = (name, seat.row, seat.number)
        place = (name, seat.row_order, seat.order)
        if label in labels:
            raise PlanImportError(
                _(
                    "Line %(line)s: seat %(row)s-%(number)s of section %(section)s "
                    "is already on line %(first)s."
                ),
                code=SeatingErrorCode.DUPLICATE_SEAT,
                params={"line": line, "first": labels[label], "section": name}
                | {"row": seat.row, "number": seat.number},
            )
        if place in places:
            raise PlanImportError(
                _(
                    "Line %(line)s: section %(section)s already has a seat at "
                    "row_order %(row_order)s, order %(order)s (line %(first)s)."
                ),
                code=SeatingErrorCode.DUPLICATE_POSITION,
                params={"line": line, "first": places[place], "section": name}
                | {"row_order": seat.row_order, "order": seat.order},
            )
        if len(labels) >= MAX_SEATS:
            raise _too_many()
        labels[label] = places[place] = line
        section = sections.setdefault(
            name, SectionSpec(name={"nl": name}, position=len(sections))
        )
        section.seats.append(seat)
    if not labels:
        raise PlanImportError(
            _("The file has a header but no seats."), code=SeatingErrorCode.PLAN_EMPTY
        )
    return PlanSpec(sections=list(sections.values()))


def _too_many() -> PlanImportError:
    return PlanImportError(
        _("A seat plan has at most %(maximum)s seats; this file has more."),
        code=SeatingErrorCode.PLAN_TOO_LARGE,
        params={"maximum": MAX_SEATS},
    )


# --- JSON import -----------------------------------------------------------------------

JSON_MESSAGES = {
    "empty": _("%(field)s is missing or empty."),
    "text": _("%(field)s must be text, not “%(value)s”."),
    "long": _("%(field)s has more than %(maximum)s characters."),
    "number": _("%(field)s must be a number, not “%(value)s”."),
    "whole": _("%(field)s must be a whole number from %(minimum)s, not “%(value)s”."),
    "flag": _("%(field)s must be true or false, not “%(value)s”."),
}


def _json_error(path: str, bad: _Bad) -> PlanImportError:
    params = {**bad.params, "field": path}
    return PlanImportError(JSON_MESSAGES[bad.kind], field=path, params=params)


def _object(value, path: str, allowed: frozenset) -> dict:
    if not isinstance(value, dict):
        raise PlanImportError(
            _("%(field)s must be an object."), field=path, params={"field": path}
        )
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise PlanImportError(
            _("%(field)s has unknown fields: %(names)s."),
            field=path,
            params={"field": path, "names": ", ".join(unknown)},
        )
    return value


def _list(value, path: str) -> list:
    if not isinstance(value, list) or not value:
        raise PlanImportError(
            _("%(field)s must be a list that is not empty."),
            field=path,
            params={"field": path},
        )
    return value


def _json_name(value, path: str) -> dict:
    if isinstance(value, str):
        value = {"nl": value}
    valid = isinstance(value, dict) and all(
        isinstance(text, str) for text in value.values()
    )
    name = clean_translations(value) if valid else {}
    if not name:
        raise PlanImportError(
            _("%(field)s needs a name in Dutch, French or English."),
            field=path,
            params={"field": path},
        )
    return name


def _json_seats(raw: list, path: str) -> list[SeatSpec]:
    seats, labels, places = [], {}, {}
    for index, value in enumerate(raw):
        here = f"{path}[{index}]"
        values = _object(value, here, SEAT_KEYS)
        try:
            seat = _seat(values)
        except _Bad as bad:
            raise _json_error(f"{here}.{bad.params['field']}", bad) from None
        label, place = (seat.row, seat.number), (seat.row_order, seat.order)
        first = labels.get(label) or places.get(place)
        if first:
            duplicate_label = label in labels
            raise PlanImportError(
                _("%(field)s: seat %(row)s-%(number)s is already at %(first)s.")
                if duplicate_label
                else _(
                    "%(field)s: row_order %(row_order)s, order %(order)s is already "
                    "taken by %(first)s."
                ),
                code=SeatingErrorCode.DUPLICATE_SEAT
                if duplicate_label
                else SeatingErrorCode.DUPLICATE_POSITION,
                field=here,
                params={"field": here, "first": first, **vars(seat)},
            )
        labels[label] = places[place] = here
        seats.append(seat)
    return seats


def _json_document(data) -> dict:
    if isinstance(data, bytes | str):
        try:
            data = json.loads(_decode(data))
        except json.JSONDecodeError as error:
            raise PlanImportError(
                _("The file is not valid JSON (line %(line)s, column %(column)s)."),
                params={"line": error.lineno, "column": error.colno},
            ) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PlanImportError(
            _("This is not a Podium seat plan: “format” must be “%(format)s”."),
            field="format",
            params={"format": FORMAT},
        )
    version = data.get("version")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise PlanImportError(
            _("Seat plan format version %(version)s is not supported; use version 1."),
            field="version",
            params={"version": json.dumps(version, ensure_ascii=False)[:40]},
        )
    return _object(data, "document", frozenset({"format", "version", "sections"}))


def plan_import_json(data: str | bytes | dict) -> PlanSpec:
    """A PlanSpec from a JSON document (see the module's doc for the format)."""
    document = _json_document(data)
    sections, positions, count = [], {}, 0
    for index, raw in enumerate(_list(document.get("sections"), "sections")):
        path = f"sections[{index}]"
        values = _object(raw, path, SECTION_KEYS)
        try:
            position = _whole(values.get("position", index), 0)
        except _Bad as bad:
            bad.params["value"] = _shown(values.get("position"))
            raise _json_error(f"{path}.position", bad) from None
        if position in positions:
            raise PlanImportError(
                _("%(field)s: position %(position)s is already taken by %(first)s."),
                code=SeatingErrorCode.DUPLICATE_SECTION,
                field=f"{path}.position",
                params={"field": path, "position": position}
                | {"first": positions[position]},
            )
        positions[position] = path
        name = _json_name(values.get("name"), f"{path}.name")
        seats = _json_seats(
            _list(values.get("seats"), f"{path}.seats"), f"{path}.seats"
        )
        count += len(seats)
        if count > MAX_SEATS:
            raise _too_many()
        sections.append(SectionSpec(name=name, seats=seats, position=position))
    return PlanSpec(sections=sections)
