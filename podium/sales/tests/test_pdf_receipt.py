"""Receipt-printer tickets: 80 mm wide pages, as tall as their content, black only."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from reportlab import rl_config
from reportlab.lib.units import mm

from podium.sales.tickets.pdf import order_pdf, ticket_pdf

from .test_pdf import images, pages
from .test_tickets_support import make_order, make_performance

RECEIPT_WIDTH_PT = 226.77  # 80 mm


@pytest.fixture(autouse=True)
def readable_pdf(monkeypatch):
    # Uncompressed, reproducible output, so the tests can search the bytes.
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    monkeypatch.setattr(rl_config, "invariant", 1)


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page, in order."""
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", pdf)
    return [(float(width), float(height)) for width, height in boxes]


def colours(pdf: bytes) -> set[bytes]:
    """Every RGB fill and stroke colour the pages set."""
    return set(re.findall(rb"([\d.]+ [\d.]+ [\d.]+) (?:rg|RG)\b", pdf))


def test_a_receipt_has_one_80_mm_page_per_ticket(scoped, house):
    order = make_order(house, tickets=2)

    pdf = order_pdf(order, layout="receipt")

    assert pdf.startswith(b"%PDF-")
    assert pages(pdf) == 2
    assert images(pdf) == 2  # one QR code a page
    sizes = page_sizes(pdf)
    assert len(sizes) == 2
    for width, height in sizes:
        assert width == pytest.approx(RECEIPT_WIDTH_PT, abs=0.01)
        assert 120 * mm <= height <= 260 * mm


def test_the_receipt_shows_what_the_door_and_the_visitor_need(scoped, house):
    order = make_order(house, tickets=2, price="18.50")
    second = order.tickets.order_by("pk").last()
    second.seat_label = "Zaal, rij B, stoel 14"
    second.save(update_fields=["seat_label"])

    pdf = ticket_pdf(second, layout="receipt")

    assert pages(pdf) == 1
    for text in [
        "Huis A",
        "De Storm",
        "maart 2026",
        "20:00",
        "Grote zaal",
        second.performance.hall.venue.street,
        "Rang 1",
        "Zaal, rij B, stoel 14",
        "Volle prijs",
        "18,50",
        "Ann Peeters",
        order.code,
        f"{order.code}-02 \\(2 van 2\\)",  # ticket n of m; reportlab escapes ( and )
    ]:
        assert text.encode("latin-1") in pdf, text


def test_the_receipt_is_black_only_where_the_a4_ticket_has_the_house_colour(
    scoped, house
):
    order = make_order(house, tickets=1)

    receipt = order_pdf(order, layout="receipt")
    a4 = order_pdf(order)

    assert colours(receipt) == {b"0 0 0"}
    assert colours(a4) - {b"0 0 0"}  # the brand colour band and the grey labels


def test_the_receipt_leaves_out_the_house_logo(scoped, house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 90)).save(buffer, format="PNG")
    house.logo.save("logo.png", ContentFile(buffer.getvalue()), save=True)
    order = make_order(house, tickets=1)

    pdf = order_pdf(order, layout="receipt")

    assert images(pdf) == 1  # the QR code only


def test_the_receipt_renders_in_the_order_language(scoped, house):
    order = make_order(house, tickets=1, locale="fr")

    pdf = order_pdf(order, layout="receipt")

    assert b"La Temp" in pdf
    assert b"Plein tarif" in pdf
    assert b"mars 2026" in pdf
    assert f"{order.code}-01 \\(1 sur 1\\)".encode() in pdf
    assert b"De Storm" not in pdf


def test_a_long_title_wraps_and_makes_the_receipt_taller(scoped, house):
    short = make_order(house, tickets=1)
    show = make_performance(
        house,
        title={
            "nl": "Kindervoorstellingsmarathonweekend: alle voorstellingen van het "
            "jeugdtheaterfestival in één lang en feestelijk weekend"
        },
    )
    long = make_order(house, performances=[show], tickets=1)

    ((short_width, short_height),) = page_sizes(order_pdf(short, layout="receipt"))
    pdf = order_pdf(long, layout="receipt")
    ((long_width, long_height),) = page_sizes(pdf)

    assert short_width == long_width == pytest.approx(RECEIPT_WIDTH_PT, abs=0.01)
    # four title lines instead of one, at 14 pt with 1.2 leading
    assert long_height == pytest.approx(short_height + 3 * 14 * 1.2, abs=0.01)
    assert long_height <= 260 * mm
    # the compound is wider than the 72 mm column, so it is cut onto two lines
    assert b"Kindervoorstellingsmarathonweekend" not in pdf
    assert b"(Kindervoorstellingsmarathon)" in pdf


@pytest.mark.parametrize("buyer_name, shown", [("Ann Peeters", True), ("", False)])
def test_the_receipt_has_no_empty_name_for_a_sale_at_the_desk(
    scoped, house, buyer_name, shown
):
    order = make_order(house, tickets=1)
    order.buyer_name = buyer_name
    order.save(update_fields=["buyer_name"])

    pdf = order_pdf(order, layout="receipt")

    assert (b"(NAAM)" in pdf) is shown


def test_the_a4_layout_is_the_default(scoped, house):
    order = make_order(house, tickets=2)
    ticket = order.tickets.order_by("pk").first()

    assert order_pdf(order) == order_pdf(order, layout="a4")
    assert ticket_pdf(ticket) == ticket_pdf(ticket, layout="a4")
    assert page_sizes(order_pdf(order)) == [(595.2756, 841.8898)] * 2


@pytest.mark.parametrize("layout", ["A4", "letter", "", None])
@pytest.mark.parametrize("render", ["order", "ticket"])
def test_an_unknown_layout_is_refused(scoped, house, layout, render):
    order = make_order(house, tickets=1)

    with pytest.raises(ValueError, match="layout"):
        if render == "order":
            order_pdf(order, layout=layout)
        else:
            ticket_pdf(order.tickets.get(), layout=layout)
