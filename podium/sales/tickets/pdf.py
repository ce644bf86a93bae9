"""PDF tickets (reportlab), one page per ticket, in one of two layouts:

- "a4": an A4 page with the ticket in the top half, in the house's colours and logo;
- "receipt": for 80 mm thermal printers at the box office: 80 mm wide (72 mm printable)
  and as tall as its content, in black only, everything in one column and the QR code
  under it.

Both layouts draw the same details (`_details`) and the same QR code. Each ticket shows
the house, production, date and time in the house's time zone, hall and venue with
address, zone, seat, tariff, price, the holder's name (the buyer's unless the
ticket was put in another name), order code, ticket number and the signed QR
code. Texts render in the order's language.

The built-in Helvetica (WinAnsi encoding) covers the Dutch, French and German letters
(é, è, ç, ë, ï, ô, ß, €); nothing needs to be installed on the server.
"""

import io
import logging
from dataclasses import dataclass
from functools import partial
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from podium.core.i18n import localize
from podium.tenancy.models import House

from ..models import Order, Ticket
from .qr import qr_png
from .signing import ticket_payload

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
BAND_HEIGHT = 24 * mm
QR_SIZE = 58 * mm
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
GREY = colors.HexColor("#555555")

Layout = Literal["a4", "receipt"]
LAYOUTS: tuple[Layout, ...] = ("a4", "receipt")

RECEIPT_WIDTH = 80 * mm
RECEIPT_MARGIN = 4 * mm
RECEIPT_TEXT_WIDTH = RECEIPT_WIDTH - 2 * RECEIPT_MARGIN  # 72 mm: the printable width
RECEIPT_QR_SIZE = 50 * mm
LEADING = 1.2  # line height as a multiple of the font size


@dataclass(frozen=True)
class _Numbered:
    ticket: Ticket
    number: str
    position: int
    count: int


def order_pdf(order: Order, *, layout: Layout = "a4") -> bytes:
    """Every valid ticket of `order`, one page each; `layout` is "a4" or "receipt"."""
    _check_layout(layout)
    tickets = [t for t in _tickets_of(order) if t.state == Ticket.State.VALID]
    return _render(order, _numbered(order, tickets), layout=layout)


def ticket_pdf(ticket: Ticket, *, layout: Layout = "a4") -> bytes:
    """One ticket on its own page; `layout` is "a4" or "receipt"."""
    _check_layout(layout)
    (ticket,) = [t for t in _tickets_of(ticket.order) if t.pk == ticket.pk]
    return _render(ticket.order, _numbered(ticket.order, [ticket]), layout=layout)


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"Unknown ticket layout {layout!r}; expected one of {LAYOUTS}")


def _tickets_of(order: Order) -> list[Ticket]:
    return list(
        Ticket.objects.filter(order=order, house_id=order.house_id)
        .select_related(
            "house",
            "tariff",
            "category",
            "performance__production",
            "performance__hall__venue",
        )
        .order_by("pk")
    )


def _numbered(order: Order, tickets: list[Ticket]) -> list[_Numbered]:
    all_pks = list(
        Ticket.objects.filter(order=order, house_id=order.house_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        _Numbered(
            ticket=t,
            number=f"{order.code}-{all_pks.index(t.pk) + 1:02d}",
            position=all_pks.index(t.pk) + 1,
            count=len(all_pks),
        )
        for t in tickets
    ]


def _render(order: Order, tickets: list[_Numbered], *, layout: Layout) -> bytes:
    house = order.house
    buffer = io.BytesIO()
    # invariant and compression follow reportlab.rl_config (tests switch both).
    # A receipt page sets its own size once its content is measured.
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{house.name} — {order.code}")
    canvas.setAuthor(house.name)
    canvas.setCreator("Podium")
    if layout == "a4":
        draw = partial(_draw_a4_ticket, logo=_logo(house))
    else:
        draw = _draw_receipt_ticket
    with translation.override(order.locale):
        for item in tickets:
            draw(canvas, order=order, item=item)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _logo(house: House) -> ImageReader | None:
    if not house.logo:
        return None
    try:
        with house.logo.open("rb") as file:
            return ImageReader(io.BytesIO(file.read()))
    except Exception:  # a missing or broken logo must not cost the visitor a ticket
        logger.warning("Logo of house %s cannot be read", house.pk, exc_info=True)
        return None


def _brand(house: House) -> colors.Color:
    try:
        return colors.HexColor(house.brand_colour)
    except ValueError:
        return colors.HexColor("#7a1f5c")


def _text_colour_on(background: colors.Color) -> colors.Color:
    luminance = (
        0.2126 * background.red + 0.7152 * background.green + 0.0722 * background.blue
    )
    return colors.black if luminance > 0.55 else colors.white


def band_text_colour(house: House) -> str:
    """#000000 or #ffffff, whichever reads better on the house's brand colour."""
    return "#000000" if _text_colour_on(_brand(house)) == colors.black else "#ffffff"


def _draw_band(canvas: Canvas, house: House, logo: ImageReader | None) -> float:
    brand = _brand(house)
    top = PAGE_HEIGHT - MARGIN
    canvas.setFillColor(brand)
    canvas.rect(MARGIN, top - BAND_HEIGHT, PAGE_WIDTH - 2 * MARGIN, BAND_HEIGHT, 0, 1)
    canvas.setFillColor(_text_colour_on(brand))
    canvas.setFont(FONT_BOLD, 16)
    canvas.drawString(MARGIN + 6 * mm, top - BAND_HEIGHT / 2 - 2 * mm, house.name)
    if logo is not None:
        width, height = 45 * mm, BAND_HEIGHT - 6 * mm
        canvas.drawImage(
            logo,
            PAGE_WIDTH - MARGIN - width - 3 * mm,
            top - BAND_HEIGHT + 3 * mm,
            width,
            height,
            preserveAspectRatio=True,
            anchor="e",
            mask="auto",
        )
    return top - BAND_HEIGHT


def _draw_a4_ticket(
    canvas: Canvas, *, order: Order, item: _Numbered, logo: ImageReader | None
) -> None:
    ticket = item.ticket
    house = ticket.house
    performance = ticket.performance
    y = _draw_band(canvas, house, logo) - 14 * mm

    canvas.setFillColor(colors.black)
    canvas.setFont(FONT_BOLD, 20)
    title = localize(performance.production.title, order.locale)
    for line in simpleSplit(title, FONT_BOLD, 20, 105 * mm)[:3]:
        canvas.drawString(MARGIN, y, line)
        y -= 8 * mm
    y -= 2 * mm

    for label, value in _details(order, item):
        canvas.setFillColor(GREY)
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, y, label.upper())
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, 11)
        for line in simpleSplit(value, FONT, 11, 105 * mm)[:2]:
            y -= 4.6 * mm
            canvas.drawString(MARGIN, y, line)
        y -= 5.4 * mm

    qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
    qr_top = PAGE_HEIGHT - MARGIN - BAND_HEIGHT - 10 * mm
    canvas.drawImage(
        _qr_image(ticket),
        qr_x,
        qr_top - QR_SIZE,
        QR_SIZE,
        QR_SIZE,
    )
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawCentredString(qr_x + QR_SIZE / 2, qr_top - QR_SIZE - 5 * mm, item.number)
    canvas.setFont(FONT, 9)
    notice_y = qr_top - QR_SIZE - 11 * mm
    for line in simpleSplit(_notice(ticket), FONT, 9, QR_SIZE + 4 * mm):
        canvas.drawString(qr_x - 2 * mm, notice_y, line)
        notice_y -= 4.2 * mm

    _draw_footer(canvas, house, bottom=min(y, notice_y) - 4 * mm)


def _draw_footer(canvas: Canvas, house: House, *, bottom: float) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setDash(3, 3)
    canvas.line(MARGIN, bottom, PAGE_WIDTH - MARGIN, bottom)
    canvas.setDash()
    canvas.setFillColor(GREY)
    canvas.setFont(FONT, 8)
    canvas.drawString(MARGIN, bottom - 5 * mm, _house_line(house))


# The receipt: a column of blocks, measured first so the page is exactly as tall as
# they are. Black only: a thermal printer has no colour and dithers grey.


class _Block(Protocol):
    height: float

    def draw(self, canvas: Canvas, top: float) -> None: ...


@dataclass(frozen=True)
class _Lines:
    lines: tuple[str, ...]
    font: str
    size: float
    centred: bool
    height: float

    def draw(self, canvas: Canvas, top: float) -> None:
        canvas.setFont(self.font, self.size)
        baseline = top - self.size
        for line in self.lines:
            if self.centred:
                canvas.drawCentredString(RECEIPT_WIDTH / 2, baseline, line)
            else:
                canvas.drawString(RECEIPT_MARGIN, baseline, line)
            baseline -= self.size * LEADING


@dataclass(frozen=True)
class _Rule:
    height: float = 4 * mm

    def draw(self, canvas: Canvas, top: float) -> None:
        canvas.setLineWidth(0.8)
        y = top - self.height / 2
        canvas.line(RECEIPT_MARGIN, y, RECEIPT_WIDTH - RECEIPT_MARGIN, y)


@dataclass(frozen=True)
class _Qr:
    image: ImageReader
    height: float = RECEIPT_QR_SIZE + 2 * mm

    def draw(self, canvas: Canvas, top: float) -> None:
        x = (RECEIPT_WIDTH - RECEIPT_QR_SIZE) / 2
        y = top - RECEIPT_QR_SIZE - 1 * mm
        canvas.drawImage(self.image, x, y, RECEIPT_QR_SIZE, RECEIPT_QR_SIZE)


def _text(
    text: str, font: str, size: float, *, centred: bool = False, after: float = 0
) -> _Lines:
    lines = tuple(_wrap(text, font, size, RECEIPT_TEXT_WIDTH))
    height = len(lines) * size * LEADING + after
    return _Lines(lines, font, size, centred, height)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """simpleSplit, with a word wider than `width` (a long Dutch compound) cut."""
    lines = simpleSplit(text, font, size, width)
    for index, line in enumerate(lines):
        if stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            rest = " ".join([line[cut:], *lines[index + 1 :]])
            return [*lines[:index], line[:cut], *_wrap(rest, font, size, width)]
    return lines


def _receipt_blocks(order: Order, item: _Numbered) -> list[_Block]:
    ticket = item.ticket
    house = ticket.house
    title = localize(ticket.performance.production.title, order.locale)
    blocks: list[_Block] = [
        _text(house.name, FONT_BOLD, 13, centred=True),
        _Rule(),
        _text(title, FONT_BOLD, 14, after=1.5 * mm),
    ]
    for label, value in _visit_details(order, item):
        if value:  # a sale at the desk may have no buyer name
            blocks.append(_text(label.upper(), FONT, 7))
            blocks.append(_text(value, FONT, 10, after=1.2 * mm))
    blocks += [_Rule(), _Qr(_qr_image(ticket))]
    for (label, value), size in zip(_code_details(order, item), (13, 10), strict=True):
        blocks.append(_text(label.upper(), FONT, 7, centred=True))
        blocks.append(_text(value, FONT_BOLD, size, centred=True, after=1 * mm))
    blocks += [
        _text(_notice(ticket), FONT, 8, centred=True),
        _Rule(),
        _text(_house_line(house), FONT, 7, centred=True),
    ]
    return blocks


def _draw_receipt_ticket(canvas: Canvas, *, order: Order, item: _Numbered) -> None:
    blocks = _receipt_blocks(order, item)
    height = 2 * RECEIPT_MARGIN + sum(block.height for block in blocks)
    canvas.setPageSize((RECEIPT_WIDTH, height))
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    top = height - RECEIPT_MARGIN
    for block in blocks:
        block.draw(canvas, top)
        top -= block.height


def _qr_image(ticket: Ticket) -> ImageReader:
    return ImageReader(io.BytesIO(qr_png(ticket_payload(ticket))))


def _notice(ticket: Ticket) -> str:
    notice = _("Show this code at the entrance. It admits one person, once.")
    if ticket.tariff.requires_proof:
        notice += " " + _("Bring proof of your reduced tariff: it may be asked.")
    return notice


def _house_line(house: House) -> str:
    parts = [
        house.name,
        f"{house.street}, {house.postal_code} {house.city}",
        house.email,
        house.website,
    ]
    return " · ".join(p for p in parts if p)


def _details(order: Order, item: _Numbered) -> list[tuple[str, str]]:
    """(label, value) rows: the performance and the buyer, then the codes."""
    return _visit_details(order, item) + _code_details(order, item)


def _visit_details(order: Order, item: _Numbered) -> list[tuple[str, str]]:
    ticket = item.ticket
    performance = ticket.performance
    zone = ZoneInfo(ticket.house.timezone)
    starts = localtime(performance.starts_at, zone)
    when = formats.date_format(starts, "l j F Y") + ", " + starts.strftime("%H:%M")
    if performance.doors_open_at:
        doors = localtime(performance.doors_open_at, zone).strftime("%H:%M")
        when += " (" + _("doors open at %(time)s") % {"time": doors} + ")"
    hall = performance.hall
    venue = hall.venue
    tariff_name = localize(ticket.tariff.name, order.locale) or str(
        ticket.tariff.get_kind_display()
    )
    return [
        (_("Date and time"), when),
        (_("Hall"), f"{hall.name}, {venue.name}"),
        (_("Address"), f"{venue.street}, {venue.postal_code} {venue.city}"),
        (_("Zone"), localize(ticket.category.name, order.locale)),
        *([(_("Seat"), ticket.seat_label)] if ticket.seat_label else []),
        (_("Tariff"), tariff_name),
        (_("Price"), money_text(ticket.price)),
        (_("Name"), ticket.holder_name or order.buyer_name),
    ]


def _code_details(order: Order, item: _Numbered) -> list[tuple[str, str]]:
    return [
        (_("Order"), order.code),
        (
            _("Ticket"),
            _("%(number)s (%(position)s of %(count)s)")
            % {"number": item.number, "position": item.position, "count": item.count},
        ),
    ]


def money_text(amount) -> str:
    """€ 12,50 in nl and fr, € 12.50 in en (the active language decides)."""
    return "€ " + formats.number_format(amount, 2, use_l10n=True)
