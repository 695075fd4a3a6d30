"""The frame of every Word document the portal gives (python-docx): the page, the fonts, the marks and the
building blocks the documents share. Each document has its own module next to this one, building the .docx from the
same context as its PDF and page.

Layout after ГОСТ Р 7.0.97, as the PDFs (static/css/pdf/base.css): A4; margins left 30 mm, right 15 mm, top and
bottom 20 mm; Times New Roman (Liberation Serif, its metric twin, stands in for it in LibreOffice) 14 pt, tables
12 pt, single spacing, Russian as the language; page numbers from page 2, centred at the top; a heading kept with
what follows; «ПРОЕКТ» on a draft and «Копия» on a copy at the top right, in the page's header, where they cover
nothing.

The output is the same bytes for the same data: fixed core properties (the title, the organization as the
author, the document's date as created and modified, «ПОС-портал» as the last editor and the application) and
fixed dates on the entries of the ZIP.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from reports.pdf import check_text_size

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
TOP, BOTTOM, LEFT, RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
CREATOR = "ПОС-портал"
LANGUAGE = "ru-RU"
DRAFT_MARK = "ПРОЕКТ"
COPY_MARK = "Копия"
#: The paragraph style of a table's cells (12 pt).
TABLE_STYLE = "Текст таблицы"
SIGNATURE_LINE = "_______________"
DATE = "%d.%m.%Y"

CENTER, RIGHT_ALIGN, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY
#: A soft hyphen: a narrow column's bold header breaks where a typist breaks it («Ответ-ственный»), not anywhere.
SHY = "\u00ad"

#: Characters XML 1.0 cannot hold (lxml refuses them): never in a document, whatever was typed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text) -> str:
    """``text`` as a string a document can hold: line ends as «\\n», no character XML refuses."""
    if text is None:
        return ""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def day(value: dt.date | dt.datetime | None) -> str:
    """«дд.мм.гггг»; a moment on the local calendar."""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.strftime(DATE) if value else ""


class Writer:
    """One Word document being written, top to bottom."""

    def __init__(
        self,
        *,
        title: str,
        author: str,
        created: dt.date,
        subject: str = "",
        mark: str = "",
        landscape: bool = False,
    ):
        self.document = Document()
        self.created = dt.datetime(created.year, created.month, created.day)
        self._styles()
        self._page(landscape)
        self._headers(clean(mark))
        self._properties(title=clean(title), author=clean(author), subject=clean(subject))

    # --- the frame ------------------------------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = run_defaults.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
        for tag in ("w:sz", "w:szCs"):
            run_defaults.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
        language = run_defaults.find(qn("w:lang"))
        for attribute in ("w:val", "w:eastAsia"):
            language.set(qn(attribute), LANGUAGE)
        spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = BODY_SIZE
        normal.paragraph_format.widow_control = True
        normal.paragraph_format.space_after = Pt(0)
        table_text = styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = normal
        table_text.font.size = TABLE_SIZE
        styles["Header"].font.size = TABLE_SIZE

    def _page(self, landscape: bool) -> None:
        section = self.document.sections[0]
        short, long = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance = section.footer_distance = Mm(10)
        section.different_first_page_header_footer = True  # no page number on page 1

    @property
    def text_width(self):
        section = self.document.sections[0]
        return section.page_width - section.left_margin - section.right_margin

    def _headers(self, mark: str) -> None:
        """Pages 2…: the page number centred (and the mark at the right); page 1: only the mark."""
        section = self.document.sections[0]
        for header, numbered in ((section.header, True), (section.first_page_header, False)):
            paragraph = header.paragraphs[0]
            stops = paragraph.paragraph_format.tab_stops
            stops.add_tab_stop(self.text_width // 2, WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run("\t")
            if numbered:
                _page_number(paragraph)
            if mark:
                paragraph.add_run("\t")
                paragraph.add_run(mark).bold = True

    def _properties(self, *, title: str, author: str, subject: str) -> None:
        properties = self.document.core_properties
        properties.title = title
        properties.author = author
        properties.subject = subject
        properties.comments = ""
        properties.keywords = ""
        properties.category = ""
        properties.last_modified_by = CREATOR
        properties.revision = 1
        properties.language = LANGUAGE
        properties.created = properties.modified = self.created
        package = self.document.part.package
        for key, relation in list(package.rels.items()):
            if relation.reltype == RT.THUMBNAIL:  # the template's picture of an empty page
                package.rels.pop(key)
            elif relation.reltype == RT.EXTENDED_PROPERTIES:
                relation.target_part._blob = _app_properties(author)

    def to_bytes(self) -> bytes:
        """The document, with every ZIP entry dated by the document's date (the same bytes on every build). A text
        too large (data entered before the limits) is ``reports.pdf.DocumentTooLarge``, a 413 page as for the PDF."""
        check_text_size("\n".join(self.document.element.body.itertext()))
        buffer = io.BytesIO()
        self.document.save(buffer)
        source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        output = io.BytesIO()
        stamp = self.created.timetuple()[:6]
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                target.writestr(entry, source.read(info.filename))
        return output.getvalue()

    # --- blocks ---------------------------------------------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align=None,
        size=None,
        keep_with_next: bool = False,
        before: float = 0,
        after: float = 0,
        indent=None,
        label: str = "",
    ) -> Paragraph:
        """A paragraph: ``label`` (bold) then ``text`` (line breaks kept); ``before``/``after`` in points."""
        paragraph = self.document.add_paragraph()
        _fill(paragraph, text, label=label, bold=bold, size=size)
        form = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        form.space_before, form.space_after = Pt(before), Pt(after)
        if keep_with_next:
            form.keep_with_next = True
        if indent is not None:
            form.left_indent = indent
        return paragraph

    def heading(self, text: str, *, align=None, before: float = 6, after: float = 0, size=None) -> Paragraph:
        """A heading: bold, never alone at the foot of a page."""
        return self.paragraph(text, bold=True, align=align, before=before, after=after, size=size, keep_with_next=True)

    def title_block(self, *, organizations: Iterable[str], kind: str, title: str = "") -> None:
        """The organization(s), the document's name in capitals, and its heading, centred."""
        for name in organizations:
            if clean(name).strip():
                self.heading(name, align=CENTER, before=0)
        self.heading(kind, align=CENTER, before=14, after=8, size=Pt(16))
        if title:
            self.heading(title, align=CENTER, before=4, after=12)

    def date_number(self, date, number) -> Paragraph:
        """«дд.мм.гггг» at the left and «№ N» at the right of one line."""
        paragraph = self.paragraph(f"{day(date)}\t№\u00a0{clean(number)}", keep_with_next=True)
        paragraph.paragraph_format.tab_stops.add_tab_stop(self.text_width, WD_TAB_ALIGNMENT.RIGHT)
        return paragraph

    def approval(self, lines: Sequence[str], *, word: str = "УТВЕРЖДАЮ") -> None:
        """An approval block (ГОСТ Р 7.0.97 «гриф утверждения») in the right half of the page."""
        indent = self.text_width // 2
        self.paragraph(word, bold=True, indent=indent, keep_with_next=True)
        for line in lines:
            if clean(line).strip():
                self.paragraph(line, indent=indent, keep_with_next=True)
        self.paragraph("", after=6)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence],
        widths_mm: Sequence[float],
        *,
        empty: str = "",
        footer: Sequence | None = None,
        size: Pt | None = None,
        header_size: Pt | None = None,
    ) -> Table:
        """A grid at 12 pt (``size`` and ``header_size`` for a wide table set smaller, as its PDF): the header row
        repeated on every page, bold; ``empty`` in one row when there is none; ``footer`` a last row in bold."""
        rows = [list(row) for row in rows]
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, text, bold=True, align=CENTER, size=header_size or size)
        _repeat_header(table.rows[0])
        if not rows and empty:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            _cell(merged, empty, size=size)
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                _cell(cell, value, size=size)
        if footer is not None:
            for cell, value in zip(table.add_row().cells, footer, strict=True):
                _cell(cell, value, bold=True, size=size)
        _widths(table, widths_mm)
        return table

    def signatures(self, rows: Iterable[tuple[str, str]], *, before: float = 18, reproduced: bool = False) -> Table:
        """Signatures (ГОСТ Р 7.0.97): the position at the left margin, the line for the signature with «подпись»
        under it (``reproduced``, as an extract repeats them: the word «подпись» alone), «И.О. Фамилия» ending at
        the right margin; kept together and with what precedes them."""
        self.paragraph("", after=before, keep_with_next=True)
        rows = list(rows)
        table = self.document.add_table(rows=0, cols=3)
        table.autofit = False
        for position, name in rows:
            row = table.add_row()
            _no_split(row)
            position_cell, sign_cell, name_cell = row.cells
            _cell(position_cell, position, size=BODY_SIZE)
            if reproduced:
                _cell(sign_cell, "подпись", align=CENTER, size=BODY_SIZE)
            else:
                _cell(sign_cell, SIGNATURE_LINE, align=CENTER, size=BODY_SIZE)
                sign_cell.add_paragraph("подпись", style=TABLE_STYLE).alignment = CENTER
            _cell(name_cell, name or SIGNATURE_LINE, align=RIGHT_ALIGN, size=BODY_SIZE)
        width = self.text_width / Mm(1)
        _widths(table, (width * 0.42, width * 0.26, width * 0.32))
        last = len(rows) - 1
        for index, row in enumerate(table.rows):
            for cell in row.cells:
                for paragraph in cell.paragraphs[:-1] if index == last else cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
        return table


# --- helpers ----------------------------------------------------------------------------------------------------


def _fill(paragraph: Paragraph, text, *, label: str = "", bold: bool = False, size=None) -> None:
    if label:
        run = paragraph.add_run(clean(label))
        run.bold = True
        if size is not None:
            run.font.size = size
    text = clean(text)
    if text:
        run = paragraph.add_run(text)  # «\n» becomes a line break, «\t» a tab
        if bold:
            run.bold = True
        if size is not None:
            run.font.size = size


def _cell(cell, value, *, bold: bool = False, align=None, size=None) -> None:
    paragraph = cell.paragraphs[0]
    if size is None:
        paragraph.style = TABLE_STYLE
    _fill(paragraph, "" if value is None else value, bold=bold, size=size)
    if align is not None:
        paragraph.alignment = align


def _widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's); ``table.autofit`` is off."""
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _repeat_header(row) -> None:
    _no_split(row)  # w:cantSplit comes before w:tblHeader in w:trPr
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _no_split(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _page_number(paragraph: Paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _app_properties(company: str) -> bytes:
    """docProps/app.xml naming the portal as the application (the template says «Microsoft Macintosh Word»)."""
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(CREATOR)}</Application><DocSecurity>0</DocSecurity>"
        f"<Company>{escape(company)}</Company></Properties>"
    ).encode()
