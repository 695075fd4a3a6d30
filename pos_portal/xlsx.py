"""The document properties of every XLSX file the portal gives (the dashboard's table, the admin's templates):
a title, «ПОС-портал» as the creator and last editor, Russian as the language — not openpyxl's defaults
(«openpyxl» as the creator, no title)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

CREATOR = "ПОС-портал"
LANGUAGE = "ru-RU"


def portal_properties(workbook: Workbook, *, title: str, subject: str = "") -> Workbook:
    """Set ``workbook``'s core properties to the portal's (before it is saved)."""
    properties = workbook.properties
    properties.title = title
    properties.subject = subject or None
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.language = LANGUAGE
    return workbook


def with_portal_properties(data: bytes, *, title: str, subject: str = "") -> bytes:
    """The XLSX ``data`` written by another library (tablib) again with the portal's properties."""
    workbook = load_workbook(io.BytesIO(data))
    portal_properties(workbook, title=title, subject=subject)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
