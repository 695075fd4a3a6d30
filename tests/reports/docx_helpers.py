"""Reading the portal's Word documents back in tests (python-docx)."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def open_docx(data: bytes):
    """The document, after checking it is a ZIP package with its [Content_Types].xml and main part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        names = package.namelist()
    assert "[Content_Types].xml" in names and "word/document.xml" in names
    return Document(io.BytesIO(data))


def get_docx(client, url: str, filename_fragment: str = ""):
    """GET ``url`` as a reader would: a .docx download; the document read back."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == DOCX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert re.search(r'filename="[A-Za-z0-9._-]+\.docx"', disposition), disposition
    assert filename_fragment in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    return open_docx(response.content)


def blocks(document) -> list[str]:
    """The body's paragraphs and table rows (cells joined by « | », a merged cell once), in order, whitespace
    collapsed."""
    found = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list({id(cell._tc): cell for cell in row.cells}.values())
                found.append(normalize(" | ".join(cell.text for cell in cells)))
        else:
            found.append(normalize(block.text))
    return [text for text in found if text]


def docx_text(document) -> str:
    return " ".join(blocks(document))


def header_text(document, *, first_page: bool) -> str:
    section = document.sections[0]
    header = section.first_page_header if first_page else section.header
    return normalize(" ".join(paragraph.text for paragraph in header.paragraphs))


def has_page_number(document, *, first_page: bool) -> bool:
    section = document.sections[0]
    header = section.first_page_header if first_page else section.header
    xml = header._element.xml
    return "PAGE" in xml and ("fldSimple" in xml or "instrText" in xml)


def default_font(document) -> tuple[str, set[str]]:
    """The document defaults' font (every script) and the Normal style's size."""
    fonts = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = fonts.find(qn("w:rFonts"))
    return {rfonts.get(qn(f"w:{script}")) for script in ("ascii", "hAnsi", "eastAsia", "cs")}


def run_size(run, paragraph, document) -> Pt:
    """The size a run is printed at: its own, its paragraph style's (and the styles it is based on), Normal's."""
    if run.font.size is not None:
        return run.font.size
    style = paragraph.style
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return document.styles["Normal"].font.size


#: The size of a grid's text: 12 pt (a wide table, as its PDF, smaller).
GRID_SIZES = (Pt(12),)


def assert_gost_layout(document, *, landscape: bool = False, table_sizes=GRID_SIZES) -> None:
    """A4, margins of ГОСТ Р 7.0.97 (left 30, right 10–15, top and bottom 20 mm), Times New Roman 14 pt in the
    text and 12 pt in the grids, page numbers from page 2, Russian."""
    section = document.sections[0]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(1) and abs(section.page_height - height) < Mm(1)
    assert abs(section.left_margin - Mm(30)) < Mm(0.5)
    assert Mm(10) - Mm(0.5) <= section.right_margin <= Mm(15) + Mm(0.5)
    assert abs(section.top_margin - Mm(20)) < Mm(0.5) and abs(section.bottom_margin - Mm(20)) < Mm(0.5)
    assert default_font(document) == {"Times New Roman"}
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)
    assert has_page_number(document, first_page=False) and not has_page_number(document, first_page=True)
    assert document.core_properties.language == "ru-RU"
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
            if run.text.strip():
                assert run_size(run, paragraph, document) >= Pt(12)
    for table in document.tables:
        if table.style is not None and table.style.name == "Table Grid":
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        for run in paragraph.runs:
                            assert run_size(run, paragraph, document) in table_sizes, run.text


def paragraph_starting(document, text: str):
    return next(paragraph for paragraph in document.paragraphs if normalize(paragraph.text).startswith(text))


def keeps_with_next(document, text: str) -> bool:
    return bool(paragraph_starting(document, text).paragraph_format.keep_with_next)
