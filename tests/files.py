"""Small genuine files for upload tests, built in memory: a one-page PDF, office packages, images."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def office_bytes(extension: str = "docx", extra: dict[str, bytes] | None = None) -> bytes:
    """An OOXML package with its content types and main part (what Word, Excel, PowerPoint open first)."""
    members = {"[Content_Types].xml": CONTENT_TYPES.encode(), MAIN_PARTS[extension]: b'<?xml version="1.0"?><x/>'}
    return zip_bytes({**members, **(extra or {})})


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


PDF = pdf_bytes()
DOCX = office_bytes("docx")
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
