"""QR codes of ticket codes: SVG for pages, PNG for PDFs (segno, error correction M).

Level M survives a crease or a cracked phone screen while keeping a ~180-character
ticket code at a module size a phone camera reads comfortably.
"""

import io

import segno


def _qr(data: str) -> segno.QRCode:
    # boost_error=False: keep level M as chosen, do not let segno raise it.
    return segno.make_qr(data, error="m", boost_error=False)


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """An inline <svg> element (no XML declaration), with a quiet zone of 4 modules."""
    return _qr(data).svg_inline(scale=scale, border=4, title=title or None)


def qr_png(data: str, *, scale: int = 10) -> bytes:
    """PNG bytes; at scale 10 a typical ticket code is about 600 px wide."""
    buffer = io.BytesIO()
    _qr(data).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
