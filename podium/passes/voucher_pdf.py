"""The gift voucher as a PDF (reportlab): one A4 page in the house's colours with
the value, the code (also as a QR code the desk can scan), the validity and the
giver's message. Texts render in the active language."""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from podium.sales.tickets.pdf import band_text_colour, money_text
from podium.sales.tickets.qr import qr_png

from .models import GiftVoucher

WIDTH, HEIGHT = A4
MARGIN = 18 * mm


def _brand(colour: str) -> colors.Color:
    try:
        return colors.HexColor(colour)
    except ValueError:
        return colors.HexColor("#7a1f5c")


def voucher_pdf(voucher: GiftVoucher) -> bytes:
    house = voucher.house
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Gift voucher %(code)s") % {"code": voucher.code})
    top = HEIGHT - MARGIN
    band = 60 * mm
    canvas.setFillColor(_brand(house.brand_colour))
    canvas.rect(MARGIN, top - band, WIDTH - 2 * MARGIN, band, 0, 1)
    canvas.setFillColor(colors.HexColor(band_text_colour(house)))
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(MARGIN + 8 * mm, top - 14 * mm, house.name)
    canvas.setFont("Helvetica-Bold", 34)
    canvas.drawString(MARGIN + 8 * mm, top - 34 * mm, _("Gift voucher"))
    canvas.setFont("Helvetica-Bold", 28)
    canvas.drawString(MARGIN + 8 * mm, top - 50 * mm, money_text(voucher.value))
    y = top - band - 14 * mm
    canvas.setFillColor(colors.black)
    if voucher.recipient_name:
        canvas.setFont("Helvetica", 14)
        canvas.drawString(
            MARGIN, y, _("For %(name)s") % {"name": voucher.recipient_name}
        )
        y -= 9 * mm
    if voucher.message:
        canvas.setFont("Helvetica-Oblique", 12)
        for line in simpleSplit(voucher.message, "Helvetica-Oblique", 12, 110 * mm):
            canvas.drawString(MARGIN, y, line)
            y -= 6 * mm
        y -= 4 * mm
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, y, _("Your code"))
    canvas.setFont("Courier-Bold", 24)
    canvas.drawString(MARGIN, y - 11 * mm, voucher.code)
    canvas.setFont("Helvetica", 11)
    valid = formats.date_format(voucher.expires_on, "j F Y")
    lines = [
        _("Valid until %(date)s.") % {"date": valid},
        _("Type the code at the checkout of %(house)s's webshop, or show this page")
        % {"house": house.name},
        _("at the box office. It can be spent over several orders."),
    ]
    for offset, line in enumerate(lines):
        canvas.drawString(MARGIN, y - (22 + 6 * offset) * mm, line)
    qr = ImageReader(io.BytesIO(qr_png(voucher.code, scale=6)))
    canvas.drawImage(qr, WIDTH - MARGIN - 40 * mm, y - 30 * mm, 40 * mm, 40 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
