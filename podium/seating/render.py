"""The seat plan as SVG, drawn by the server: one focusable control per seat.

Shared by the shop's seat picker and the office. Each seat is a `role="checkbox"`
with an accessible name such as "Balkon, rij C, stoel 12, rang 1, 24 euro, vrij";
seats that cannot be chosen are `aria-disabled`. Rows and sections are labelled
groups, so a screen reader can tell where it is; the script (seatpicker.js) moves the
focus along rows with the arrow keys (one seat in the plan is in the tab order).
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from podium.core.i18n import localize

from .models import PerformanceSeat

SEAT = 0.84  # drawn size of a seat, in plan units (a seat's grid step is 1.0)
MARGIN = 1.5


@dataclass(frozen=True)
class SeatView:
    id: int
    section: str
    section_position: int
    row: str
    row_order: int
    number: str
    order: int
    x: float
    y: float
    zone: int
    state: str
    price: Decimal | None = None
    wheelchair: bool = False
    companion: bool = False
    restricted_view: bool = False


def seat_views(
    seats: list[PerformanceSeat], *, prices: dict[int, Decimal], language: str
) -> list[SeatView]:
    """What the plan shows of each seat; `prices` maps a zone to its lowest price."""
    return [
        SeatView(
            id=seat.pk,
            section=localize(seat.seat.section.name, language),
            section_position=seat.seat.section.position,
            row=seat.seat.row,
            row_order=seat.seat.row_order,
            number=seat.seat.number,
            order=seat.seat.order,
            x=seat.seat.x,
            y=seat.seat.y,
            zone=seat.seat.zone,
            state=seat.state,
            price=prices.get(seat.seat.zone),
            wheelchair=seat.seat.wheelchair,
            companion=seat.seat.companion,
            restricted_view=seat.seat.restricted_view,
        )
        for seat in seats
    ]


def state_text(state: str) -> str:
    return {
        "free": _("free"),
        "held": _("taken"),
        "sold": _("taken"),
        "blocked": _("not for sale"),
    }.get(state, state)


def seat_name(seat: SeatView) -> str:
    """The accessible name, in the active language; the state always comes last."""
    parts = [
        _("%(section)s, row %(row)s, seat %(number)s")
        % {"section": seat.section, "row": seat.row, "number": seat.number},
        _("rank %(zone)s") % {"zone": seat.zone},
    ]
    if seat.price is not None:
        parts.append(_("%(price)s euro") % {"price": _price(seat.price)})
    if seat.wheelchair:
        parts.append(_("wheelchair space"))
    if seat.companion:
        parts.append(_("companion seat"))
    if seat.restricted_view:
        parts.append(_("restricted view"))
    parts.append(state_text(seat.state))
    return ", ".join(str(part) for part in parts)


def _price(amount: Decimal) -> str:
    if amount == amount.to_integral_value():
        return str(int(amount))
    return number_format(amount, 2, use_l10n=True)


def _bounds(seats: list[SeatView]) -> tuple[float, float, float, float]:
    xs = [seat.x for seat in seats] or [0.0]
    ys = [seat.y for seat in seats] or [0.0]
    return min(xs), min(ys), max(xs), max(ys)


def plan_svg(
    seats: list[SeatView], *, selectable_states=("free",), label: str = ""
) -> SafeString:
    """The whole plan; seats whose state is in `selectable_states` can be chosen."""
    left, top, right, bottom = _bounds(seats)
    stage_height = 1.2
    view = (
        left - MARGIN,
        top - MARGIN - stage_height - 1.0,
        right - left + 2 * MARGIN,
        bottom - top + 2 * MARGIN + stage_height + 1.0,
    )
    out = [
        f'<svg class="seat-plan" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{view[0]:.2f} {view[1]:.2f} {view[2]:.2f} {view[3]:.2f}" '
        f'role="group" aria-label="{escape(label or _("Seat plan"))}" '
        f'data-view="{view[0]:.2f} {view[1]:.2f} {view[2]:.2f} {view[3]:.2f}">',
        f'<rect class="stage" x="{left:.2f}" y="{top - MARGIN - stage_height:.2f}" '
        f'width="{right - left:.2f}" height="{stage_height:.2f}" rx="0.3" '
        'aria-hidden="true"/>',
        f'<text class="stage-label" x="{(left + right) / 2:.2f}" '
        f'y="{top - MARGIN - stage_height / 2 + 0.35:.2f}" text-anchor="middle" '
        f'aria-hidden="true">{escape(_("Stage"))}</text>',
    ]
    focus_given = False
    section = row = None
    for seat in sorted(seats, key=lambda s: (s.section_position, s.row_order, s.order)):
        if (seat.section_position, seat.section) != section:
            if row is not None:
                out.append("</g>")
            if section is not None:
                out.append("</g>")
            section, row = (seat.section_position, seat.section), None
            out.append(f'<g role="group" aria-label="{escape(seat.section)}">')
        if seat.row_order != row:
            if row is not None:
                out.append("</g>")
            row = seat.row_order
            out.append(
                f'<g role="group" class="seat-row" data-row="{seat.section_position}-'
                f'{seat.row_order}" aria-label="{escape(_("row %(row)s") % {"row": seat.row})}">'
            )
        choosable = seat.state in selectable_states
        tabindex = "-1"
        if choosable and not focus_given:
            tabindex, focus_given = "0", True
        classes = f"seat seat-{seat.state} zone-{min(seat.zone, 6)}"
        if seat.wheelchair:
            classes += " seat-wheelchair"
        disabled = "" if choosable else ' aria-disabled="true"'
        half = SEAT / 2
        out.append(
            f'<g class="{classes}" role="checkbox" aria-checked="false"{disabled} '
            f'tabindex="{tabindex}" data-seat="{seat.id}" data-order="{seat.order}" '
            f'data-x="{seat.x:.2f}" aria-label="{escape(seat_name(seat))}">'
            f'<rect x="{seat.x - half:.2f}" y="{seat.y - half:.2f}" width="{SEAT}" '
            f'height="{SEAT}" rx="0.18"/>'
        )
        if seat.wheelchair:
            out.append(
                f'<text x="{seat.x:.2f}" y="{seat.y + 0.27:.2f}" text-anchor="middle" '
                'class="seat-mark" aria-hidden="true">♿</text>'
            )
        out.append("</g>")
    if row is not None:
        out.append("</g>")
    if section is not None:
        out.append("</g>")
    out.append("</svg>")
    # Every text in it went through escape(); the rest is our own markup.
    return mark_safe("".join(out))  # noqa: S308


def render_for(seats, *, prices, language, **options) -> SafeString:
    with translation.override(language):
        return plan_svg(seat_views(seats, prices=prices, language=language), **options)
