"""Seat plans to and from JSON and CSV: the formats, the errors and round trips."""

import copy
import json
from dataclasses import replace

import pytest
from django.utils.functional import Promise

from podium.seating.errors import PlanImportError, SeatingError, SeatingErrorCode
from podium.seating.plan_io import (
    CSV_COLUMNS,
    plan_export_csv,
    plan_export_json,
    plan_import_csv,
    plan_import_json,
    plan_to_document,
)
from podium.seating.plans import (
    PlanSpec,
    SeatSpec,
    SectionSpec,
    generate_section,
    plan_create,
    plan_to_spec,
)
from podium.seating.tests.factories import BALCONY, STALLS

Code = SeatingErrorCode
HEADER = ",".join(CSV_COLUMNS)
GOOD = "Zaal,A,1,0,0,0.0,0.0,1,0,0,0,0,0"
NEXT = "Zaal,A,2,0,1,1.0,0.0,1,0,0,0,0,0"


def csv_text(*lines: str, header: str = HEADER) -> str:
    return "\n".join([header, *lines]) + "\n"


def tiny_spec() -> PlanSpec:
    section = generate_section(name=STALLS, rows=1, seats_per_row=2)
    section.seats[1] = replace(section.seats[1], wheelchair=True)
    return PlanSpec(sections=[section])


def rich_spec() -> PlanSpec:
    """Curved stalls numbered odd/even with ranks and an aisle, and a balcony."""
    stalls = generate_section(
        name=STALLS,
        rows=8,
        seats_per_row=[10, 11, 12, 13, 14, 15, 16, 16],
        shape="curved",
        numbering="odd_even",
        zone_rows=[3, 6],
        aisle_after=[5],
    )
    balcony = generate_section(
        name=BALCONY, rows=2, seats_per_row=12, first_row="K", origin_y=14, origin_x=2
    )
    flags = ["wheelchair", "companion", "restricted_view", "blocked", "kept"]
    for index, flag in enumerate(flags):
        stalls.seats[index] = replace(stalls.seats[index], **{flag: True})
    balcony.seats[-1] = replace(balcony.seats[-1], restricted_view=True, zone=4)
    return PlanSpec(sections=[stalls, balcony])


def seat(row="A", number="1", row_order=0, order=0, x=0.0, **values) -> SeatSpec:
    return SeatSpec(
        row=row, number=number, row_order=row_order, order=order, x=x, y=0.0, **values
    )


# --- Export ----------------------------------------------------------------------------


def test_the_json_document_lists_sections_and_seats():
    assert plan_to_document(plan=tiny_spec()) == {
        "format": "podium-seat-plan",
        "version": 1,
        "sections": [
            {
                "name": {"nl": "Zaal", "fr": "Salle", "en": "Stalls"},
                "position": 0,
                "seats": [
                    {
                        "row": "A", "number": "1", "row_order": 0, "order": 0,
                        "x": 0.0, "y": 0.0, "zone": 1, "wheelchair": False,
                        "companion": False, "restricted_view": False,
                        "blocked": False, "kept": False,
                    },
                    {
                        "row": "A", "number": "2", "row_order": 0, "order": 1,
                        "x": 1.0, "y": 0.0, "zone": 1, "wheelchair": True,
                        "companion": False, "restricted_view": False,
                        "blocked": False, "kept": False,
                    },
                ],
            }
        ],
    }  # fmt: skip


def test_the_json_export_is_that_document_as_text():
    text = plan_export_json(plan=tiny_spec())

    assert json.loads(text) == plan_to_document(plan=tiny_spec())


def test_the_csv_export_has_a_header_and_a_line_per_seat():
    assert plan_export_csv(plan=tiny_spec()) == (
        "section,row,number,row_order,order,x,y,zone,wheelchair,companion,"
        "restricted_view,blocked,kept\r\n"
        "Zaal,A,1,0,0,0.0,0.0,1,0,0,0,0,0\r\n"
        "Zaal,A,2,0,1,1.0,0.0,1,1,0,0,0,0\r\n"
    )


def test_the_csv_export_needs_sections_with_distinct_dutch_names():
    spec = PlanSpec(
        sections=[
            SectionSpec(name=STALLS, seats=[seat()]),
            SectionSpec(name={"nl": "Zaal", "en": "Hall"}, seats=[seat()]),
        ]
    )

    with pytest.raises(SeatingError) as raised:
        plan_export_csv(plan=spec)

    assert raised.value.code == Code.DUPLICATE_SECTION
    assert str(raised.value) == (
        "Two sections are called Zaal in Dutch: rename one to export the plan as CSV."
    )


# --- Round trips -----------------------------------------------------------------------


def test_json_export_import_and_create_give_the_same_plan(scoped, hall):
    original = plan_create(house=scoped, actor=None, hall=hall, spec=rich_spec())
    text = plan_export_json(plan=original)

    copy_ = plan_create(
        house=scoped, actor=None, hall=hall, spec=plan_import_json(text)
    )

    assert copy_.version == 2
    assert plan_to_spec(plan=copy_) == plan_to_spec(plan=original)
    assert (copy_.width, copy_.height) == (original.width, original.height)
    assert plan_export_json(plan=copy_) == text


def test_csv_export_import_and_create_give_the_same_seats(scoped, hall):
    original = plan_create(house=scoped, actor=None, hall=hall, spec=rich_spec())
    text = plan_export_csv(plan=original)

    copy_ = plan_create(house=scoped, actor=None, hall=hall, spec=plan_import_csv(text))

    before, after = plan_to_spec(plan=original), plan_to_spec(plan=copy_)
    assert [s.seats for s in after.sections] == [s.seats for s in before.sections]
    assert [s.position for s in after.sections] == [0, 1]
    # CSV carries the Dutch names only.
    assert [s.name for s in after.sections] == [{"nl": "Zaal"}, {"nl": "Balkon"}]
    assert plan_export_csv(plan=copy_) == text


def test_a_round_trip_through_a_document_keeps_every_seat():
    spec = rich_spec()

    read = plan_import_json(plan_to_document(plan=spec))

    assert [s.seats for s in read.sections] == [s.seats for s in spec.sections]
    assert [(s.name, s.position) for s in read.sections] == [
        (STALLS, 0),
        (BALCONY, 1),
    ]


# --- CSV import ------------------------------------------------------------------------


def test_csv_import_reads_sections_in_order_of_appearance():
    spec = plan_import_csv(csv_text(GOOD, "Balkon,K,1,0,0,2.0,9.6,3,1,0,0,0,0", NEXT))

    assert [(s.name, s.position) for s in spec.sections] == [
        ({"nl": "Zaal"}, 0),
        ({"nl": "Balkon"}, 1),
    ]
    assert spec.sections[0].seats == [seat(), seat(number="2", order=1, x=1.0)]
    assert spec.sections[1].seats == [
        SeatSpec("K", "1", 0, 0, 2.0, 9.6, zone=3, wheelchair=True)
    ]


def test_csv_import_reads_a_belgian_excel_file():
    header = "Kept;Blocked;Restricted_View;Companion;Wheelchair;Zone;Y;X;Order;"
    header += "Row_Order;Number;Row;Section;;"
    text = "\r\n".join(
        [
            header,
            "nee;ja;NO;yes;1;2;1,2;0,5;0;1;7;B;Balkon één;;",
            ";;false;TRUE;0;1;1,2;1,5;1;1;5;B;Balkon één;;",
            "",
        ]
    )

    spec = plan_import_csv(text.encode("cp1252"))

    assert spec.sections[0].name == {"nl": "Balkon één"}
    assert spec.sections[0].seats == [
        SeatSpec("B", "7", 1, 0, 0.5, 1.2, 2, True, True, False, True, False),
        SeatSpec("B", "5", 1, 1, 1.5, 1.2, 1, False, True, False, False, False),
    ]


def test_csv_import_reads_utf8_with_a_bom_and_oui_non():
    text = csv_text("Salle,A,1,0,0,0,0,1,oui,non,0,0,0")

    spec = plan_import_csv(b"\xef\xbb\xbf" + text.encode())

    assert spec.sections[0].seats == [seat(wheelchair=True)]


@pytest.mark.parametrize(
    ("text", "code", "field", "message"),
    [
        (
            "",
            Code.PLAN_EMPTY,
            None,
            "The file is empty: it needs a header line and a line per seat.",
        ),
        (
            csv_text(GOOD, header=HEADER.replace(",zone", "").replace(",kept", "")),
            Code.IMPORT_INVALID,
            "header",
            "The header lacks the columns: zone, kept.",
        ),
        (
            csv_text(GOOD + ",rood", header=HEADER + ",colour"),
            Code.IMPORT_INVALID,
            "header",
            "The header has unknown columns: colour.",
        ),
        (
            csv_text(GOOD + ",B", header=HEADER + ",Row"),
            Code.IMPORT_INVALID,
            "header",
            "The header names the column row twice.",
        ),
        (
            csv_text(GOOD.replace("0,0.0,0.0", "0,abc,0.0")),
            Code.IMPORT_INVALID,
            "x",
            "Line 2: x must be a number, not “abc”.",
        ),
        (
            csv_text(GOOD.replace("0,0.0,0.0", "0,0.0,nan")),
            Code.IMPORT_INVALID,
            "y",
            "Line 2: y must be a number, not “nan”.",
        ),
        (
            csv_text(GOOD.replace("0,0.0,0.0", "0,1e400,0.0")),
            Code.IMPORT_INVALID,
            "x",
            "Line 2: x must be a number, not “1e400”.",
        ),
        (
            csv_text(GOOD.replace("0,0.0,0.0", "0,0.0,")),
            Code.IMPORT_INVALID,
            "y",
            "Line 2: y is empty.",
        ),
        (
            csv_text("Zaal,A,1,0,-1,0.0,0.0,1,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "order",
            "Line 2: order must be a whole number from 0, not “-1”.",
        ),
        (
            csv_text("Zaal,A,1,B,0,0.0,0.0,1,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "row_order",
            "Line 2: row_order must be a whole number from 0, not “B”.",
        ),
        (
            csv_text("Zaal,A,1,0,0,0.0,0.0,0,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "zone",
            "Line 2: zone must be a whole number from 1, not “0”.",
        ),
        (
            csv_text("Zaal,A,1,0,0,0.0,0.0,1.5,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "zone",
            "Line 2: zone must be a whole number from 1, not “1.5”.",
        ),
        (
            csv_text("Zaal,A,1,0,0,0.0,0.0,1,misschien,0,0,0,0"),
            Code.IMPORT_INVALID,
            "wheelchair",
            "Line 2: wheelchair must be yes or no (1/0, true/false, yes/no, ja/nee), "
            "not “misschien”.",
        ),
        (
            csv_text("Zaal,A,1,0,0,0.0,0.0,1,0,0,0,0,2"),
            Code.IMPORT_INVALID,
            "kept",
            "Line 2: kept must be yes or no (1/0, true/false, yes/no, ja/nee), "
            "not “2”.",
        ),
        (
            csv_text(" ,A,1,0,0,0.0,0.0,1,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "section",
            "Line 2: section is empty.",
        ),
        (
            csv_text("Zaal,ABCDEFGHI,1,0,0,0.0,0.0,1,0,0,0,0,0"),
            Code.IMPORT_INVALID,
            "row",
            "Line 2: row has more than 8 characters.",
        ),
        (
            csv_text(GOOD, "", "Zaal,A,1,0,1,1.0,0.0,1,0,0,0,0,0"),
            Code.DUPLICATE_SEAT,
            None,
            "Line 4: seat A-1 of section Zaal is already on line 2.",
        ),
        (
            csv_text(GOOD, "Zaal,A,2,0,0,1.0,0.0,1,0,0,0,0,0"),
            Code.DUPLICATE_POSITION,
            None,
            "Line 3: section Zaal already has a seat at row_order 0, order 0 (line 2).",
        ),
        (
            csv_text(GOOD[:-2]),
            Code.IMPORT_INVALID,
            None,
            "Line 2 has 12 fields where the header has 13.",
        ),
        (
            csv_text(GOOD + ",x"),
            Code.IMPORT_INVALID,
            None,
            "Line 2 has 14 fields where the header has 13.",
        ),
        (
            csv_text(),
            Code.PLAN_EMPTY,
            None,
            "The file has a header but no seats.",
        ),
        (
            b"section\n\x81",
            Code.IMPORT_INVALID,
            None,
            "The file is neither UTF-8 nor Windows-1252 text.",
        ),
    ],
)
def test_csv_import_names_the_line_and_field_of_bad_input(text, code, field, message):
    with pytest.raises(PlanImportError) as raised:
        plan_import_csv(text)

    assert raised.value.code == code
    assert raised.value.field == field
    assert str(raised.value) == message
    assert isinstance(raised.value.message, Promise)


def test_csv_import_counts_lines_across_quoted_line_breaks():
    text = csv_text(
        '"Zaal\nlinks",A,1,0,0,0.0,0.0,1,0,0,0,0,0', "Zaal,A,1,0,0,x,0,1,0,0,0,0,0"
    )

    with pytest.raises(PlanImportError) as raised:
        plan_import_csv(text)

    assert str(raised.value) == "Line 4: x must be a number, not “x”."


def test_csv_import_refuses_more_than_5000_seats():
    lines = [
        f"Zaal,{r},{n},{r},{n},{n}.0,{r}.0,1,0,0,0,0,0"
        for r in range(51)
        for n in range(100)
    ]

    with pytest.raises(PlanImportError) as raised:
        plan_import_csv(csv_text(*lines))

    assert raised.value.code == Code.PLAN_TOO_LARGE
    assert (
        str(raised.value) == "A seat plan has at most 5000 seats; this file has more."
    )


# --- JSON import -----------------------------------------------------------------------


def document(**section) -> dict:
    return {
        "format": "podium-seat-plan",
        "version": 1,
        "sections": [
            {
                "name": STALLS,
                "position": 0,
                "seats": [
                    {"row": "A", "number": "1", "row_order": 0, "order": 0, "x": 0, "y": 0},
                    {"row": "A", "number": "2", "row_order": 0, "order": 1, "x": 1, "y": 0},
                ],
            }
            | section
        ],
    }  # fmt: skip


def with_seat(index: int, **values) -> dict:
    doc = document()
    doc["sections"][0]["seats"][index] |= values
    return doc


def test_json_import_fills_defaults_and_reads_lenient_values():
    doc = document(name="Zaal")
    del doc["sections"][0]["position"]
    doc["sections"][0]["seats"][1] |= {
        "number": 2, "x": "1,5", "y": "0.25", "zone": "2", "blocked": "ja", "kept": 1,
    }  # fmt: skip

    spec = plan_import_json(json.dumps(doc).encode())

    assert [(s.name, s.position) for s in spec.sections] == [({"nl": "Zaal"}, 0)]
    assert spec.sections[0].seats == [
        seat(),
        SeatSpec("A", "2", 0, 1, 1.5, 0.25, zone=2, blocked=True, kept=True),
    ]


def section_twice() -> dict:
    doc = document()
    doc["sections"].append(copy.deepcopy(doc["sections"][0]) | {"name": BALCONY})
    return doc


def too_many_seats() -> dict:
    doc = document()
    doc["sections"][0]["seats"] = [
        {"row": str(r), "number": str(n), "row_order": r, "order": n, "x": n, "y": r}
        for r in range(51)
        for n in range(100)
    ]
    return doc


@pytest.mark.parametrize(
    ("data", "code", "field", "message"),
    [
        ("not json{", Code.IMPORT_INVALID, None, "The file is not valid JSON (line 1, column 1)."),
        (
            document() | {"format": "other"},
            Code.IMPORT_INVALID,
            "format",
            "This is not a Podium seat plan: “format” must be “podium-seat-plan”.",
        ),
        (
            "[]",
            Code.IMPORT_INVALID,
            "format",
            "This is not a Podium seat plan: “format” must be “podium-seat-plan”.",
        ),
        (
            document() | {"version": 2},
            Code.IMPORT_INVALID,
            "version",
            "Seat plan format version 2 is not supported; use version 1.",
        ),
        (
            document() | {"version": "1"},
            Code.IMPORT_INVALID,
            "version",
            'Seat plan format version "1" is not supported; use version 1.',
        ),
        (
            document() | {"hall": "Grote zaal"},
            Code.IMPORT_INVALID,
            "document",
            "document has unknown fields: hall.",
        ),
        (
            document() | {"sections": []},
            Code.IMPORT_INVALID,
            "sections",
            "sections must be a list that is not empty.",
        ),
        (
            document() | {"sections": ["Zaal"]},
            Code.IMPORT_INVALID,
            "sections[0]",
            "sections[0] must be an object.",
        ),
        (
            document(name={"de": "Saal"}),
            Code.IMPORT_INVALID,
            "sections[0].name",
            "sections[0].name needs a name in Dutch, French or English.",
        ),
        (
            document(name={"nl": 3}),
            Code.IMPORT_INVALID,
            "sections[0].name",
            "sections[0].name needs a name in Dutch, French or English.",
        ),
        (
            document(position=-1),
            Code.IMPORT_INVALID,
            "sections[0].position",
            "sections[0].position must be a whole number from 0, not “-1”.",
        ),
        (
            document(seats=[]),
            Code.IMPORT_INVALID,
            "sections[0].seats",
            "sections[0].seats must be a list that is not empty.",
        ),
        (
            document(colour="red"),
            Code.IMPORT_INVALID,
            "sections[0]",
            "sections[0] has unknown fields: colour.",
        ),
        (
            with_seat(1, x="abc"),
            Code.IMPORT_INVALID,
            "sections[0].seats[1].x",
            "sections[0].seats[1].x must be a number, not “abc”.",
        ),
        (
            with_seat(1, y=None),
            Code.IMPORT_INVALID,
            "sections[0].seats[1].y",
            "sections[0].seats[1].y must be a number, not “null”.",
        ),
        (
            with_seat(0, row=""),
            Code.IMPORT_INVALID,
            "sections[0].seats[0].row",
            "sections[0].seats[0].row is missing or empty.",
        ),
        (
            with_seat(0, number=[1]),
            Code.IMPORT_INVALID,
            "sections[0].seats[0].number",
            "sections[0].seats[0].number must be text, not “[1]”.",
        ),
        (
            with_seat(0, wheelchiar=True),
            Code.IMPORT_INVALID,
            "sections[0].seats[0]",
            "sections[0].seats[0] has unknown fields: wheelchiar.",
        ),
        (
            with_seat(0, blocked="maybe"),
            Code.IMPORT_INVALID,
            "sections[0].seats[0].blocked",
            "sections[0].seats[0].blocked must be true or false, not “maybe”.",
        ),
        (
            with_seat(0, zone=True),
            Code.IMPORT_INVALID,
            "sections[0].seats[0].zone",
            "sections[0].seats[0].zone must be a whole number from 1, not “true”.",
        ),
        (
            with_seat(1, number="1"),
            Code.DUPLICATE_SEAT,
            "sections[0].seats[1]",
            "sections[0].seats[1]: seat A-1 is already at sections[0].seats[0].",
        ),
        (
            with_seat(1, order=0),
            Code.DUPLICATE_POSITION,
            "sections[0].seats[1]",
            "sections[0].seats[1]: row_order 0, order 0 is already taken by "
            "sections[0].seats[0].",
        ),
        (
            section_twice(),
            Code.DUPLICATE_SECTION,
            "sections[1].position",
            "sections[1]: position 0 is already taken by sections[0].",
        ),
        (
            too_many_seats(),
            Code.PLAN_TOO_LARGE,
            None,
            "A seat plan has at most 5000 seats; this file has more.",
        ),
    ],
)  # fmt: skip
def test_json_import_names_the_field_of_bad_input(data, code, field, message):
    with pytest.raises(PlanImportError) as raised:
        plan_import_json(data)

    assert raised.value.code == code
    assert raised.value.field == field
    assert str(raised.value) == message
    assert isinstance(raised.value.message, Promise)
