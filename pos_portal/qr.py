"""QR codes as SVG (the ``qrcode`` library, already the second factor's): inline for a page, a ``data:`` URI for a
PDF (the only kind of image the PDF renderer loads, reports/pdf.py)."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def qr_svg(text: str, *, box_size: int = 8) -> str:
    """The QR code of ``text`` as SVG: one path with presentation attributes, no style, no script."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size)
    return image.to_string(encoding="unicode")


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as a ``data:image/svg+xml;base64,…`` URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode("ascii")
