"""The server-drawn seat plan: a named, focusable control per seat."""

import re
from decimal import Decimal

from podium.seating.render import SeatView, plan_svg, seat_name


def _seat(id, row="C", number="12", order=0, state="free", **extra):
    fields = {
        "id": id,
        "section": "Balkon",
        "section_position": 1,
        "row": row,
        "row_order": ord(row) - ord("A"),
        "number": number,
        "order": order,
        "x": float(order),
        "y": 2.4,
        "zone": 1,
        "state": state,
        "price": Decimal("24.00"),
    }
    fields.update(extra)
    return SeatView(**fields)


def test_the_accessible_name_says_where_what_and_whether_free():
    assert seat_name(_seat(1)) == "Balkon, row C, seat 12, rank 1, 24 euro, free"
    assert (
        seat_name(_seat(2, state="sold", wheelchair=True, price=Decimal("12.50")))
        == "Balkon, row C, seat 12, rank 1, 12.50 euro, wheelchair space, taken"
    )


def test_one_free_seat_is_in_the_tab_order_and_taken_seats_are_disabled():
    svg = plan_svg(
        [
            _seat(1, number="1", order=0, state="sold"),
            _seat(2, number="2", order=1),
            _seat(3, number="3", order=2),
        ]
    )

    controls = re.findall(r'<g class="seat [^"]*"[^>]*>', svg)
    assert len(controls) == 3
    assert 'aria-disabled="true"' in controls[0] and 'tabindex="-1"' in controls[0]
    assert 'tabindex="0"' in controls[1] and "aria-disabled" not in controls[1]
    assert 'tabindex="-1"' in controls[2]
    assert all('role="checkbox"' in c and 'aria-checked="false"' in c for c in controls)
    assert '<g role="group" aria-label="Balkon">' in svg
    assert 'aria-label="row C"' in svg


def test_section_names_are_escaped():
    svg = plan_svg([_seat(1, section='<script>alert("x")</script>')])

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_wheelchair_spaces_are_marked():
    svg = plan_svg([_seat(1, wheelchair=True)])

    assert "seat-wheelchair" in svg and "♿" in svg
