"""PDF tickets: a real PDF, one page per valid ticket, with what the door needs."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from reportlab import rl_config

from podium.sales.models import Ticket
from podium.sales.tickets.pdf import order_pdf, ticket_pdf
from podium.sales.tickets.qr import qr_png, qr_svg
from podium.sales.tickets.signing import ticket_payload

from .test_tickets_support import brussels, make_order, make_performance


@pytest.fixture(autouse=True)
def readable_pdf(monkeypatch):
    # Uncompressed, reproducible output, so the tests can search the bytes.
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    monkeypatch.setattr(rl_config, "invariant", 1)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def images(pdf: bytes) -> int:
    return len(re.findall(rb"/Subtype /Image", pdf))


def test_the_order_pdf_has_one_page_per_valid_ticket(scoped, house):
    order = make_order(house, tickets=3)
    order.tickets.filter(pk=order.tickets.last().pk).update(
        state=Ticket.State.CANCELLED
    )

    pdf = order_pdf(order)

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pages(pdf) == 2
    assert images(pdf) == 2  # one QR code a page
    assert pdf.count(order.code.encode()) >= 2


def test_the_ticket_shows_what_the_door_and_the_visitor_need(scoped, house):
    show = make_performance(house, starts_at=brussels(2026, 3, 29, 20, 15))
    order = make_order(house, performances=[show], tickets=2, price="18.50")
    second = order.tickets.order_by("pk").last()

    pdf = ticket_pdf(second)

    assert pages(pdf) == 1
    for text in [
        "De Storm",
        "20:15",  # the house's local time, on the day summer time starts
        "maart 2026",
        "Grote zaal",
        show.hall.venue.name,
        show.hall.venue.street,
        "Rang 1",
        "Volle prijs",
        "18,50",
        "Ann Peeters",
        f"{order.code}-02",
    ]:
        assert text.encode("latin-1") in pdf, text


def test_the_ticket_renders_in_the_order_language(scoped, house):
    order = make_order(house, tickets=1, locale="fr")

    pdf = order_pdf(order)

    assert b"La Temp" in pdf
    assert b"Plein tarif" in pdf
    assert b"mars 2026" in pdf
    assert b"De Storm" not in pdf


def test_accented_letters_render_with_the_built_in_font(scoped, house):
    show = make_performance(house, title={"nl": "Café Ça: één, twee, drie – naïef"})
    order = make_order(house, performances=[show], tickets=1)

    pdf = order_pdf(order)

    assert pdf.startswith(b"%PDF-")
    assert b"Caf\\351" in pdf or "Café".encode("cp1252") in pdf


def test_the_house_logo_is_drawn_when_present(scoped, house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 90)).save(buffer, format="PNG")
    house.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    order = make_order(house, tickets=1)

    pdf = order_pdf(order)

    assert images(pdf) == 2  # the logo and the QR code


def test_a_missing_logo_file_does_not_cost_the_ticket(
    scoped, house, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    house.logo.name = "house-logos/gone.png"
    house.save()
    order = make_order(house, tickets=1)

    pdf = order_pdf(order)

    assert (pages(pdf), images(pdf)) == (1, 1)


def test_qr_codes_come_as_png_and_svg(scoped, house):
    payload = ticket_payload(make_order(house, tickets=1).tickets.get())

    png = qr_png(payload)
    svg = qr_svg(payload, title="Ticket")

    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = Image.open(io.BytesIO(png)).size
    assert width == height >= 500
    assert svg.startswith("<svg") and "<title>Ticket</title>" in svg
