"""The worst case of issue 12 (tests/reports/worst_case.py) printed through the portal's URL and read back page by
page (``pdftotext -layout``): pages break like a typist's, the annex is a compact table, and the protocol is whole
(place, time and form, the organization, positions, a heading that reads well, no break inside «Смирнова О.В.»)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.reports.pdf_helpers import TOP_MARGIN as TOP_MARGIN_PT
from tests.reports.pdf_helpers import fragments, normalize, reader
from tests.reports.worst_case import IOC_NAME, QUESTIONS, build_worst_case

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is needed")

#: The lines that open a part of a question or of the protocol: never the last line of a page, never alone on one.
HEADING = re.compile(r"^(\d+\. СЛУШАЛИ:|ВЫСТУПИЛИ:|РЕШИЛИ \(ПОСТАНОВИЛИ\):|ПОВЕСТКА ДНЯ:)$")
#: The top margin's line: the page number (from page 2) and «ПРОЕКТ» at the right.
TOP_MARGIN = re.compile(r"(\d+)?\s*(ПРОЕКТ)?")
#: The annex's title opens a line; the attachments' line says «Приложение: Список …».
ANNEX = "Список присутствовавших на заседании"
#: The annex holds 39 names on at most this many pages.
ANNEX_PAGES = 2


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def worst_pdf(db, client):
    protocol = build_worst_case()
    client.force_login(protocol.chair.user)
    response = client.get(reverse("reports:protocol_pdf", args=[protocol.meeting_id]))
    assert response.status_code == 200
    return response.content


def layout_pages(data: bytes) -> list[list[str]]:
    """Each page's lines as ``pdftotext -layout`` prints them, without the page number at the top, the «ПРОЕКТ»
    marks and empty lines."""
    text = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    pages = []
    for page in text.split("\f")[: len(reader(data).pages)]:
        lines = [line.strip() for line in page.splitlines()]
        lines = [line for line in lines if line and not TOP_MARGIN.fullmatch(line)]
        pages.append(lines)
    return pages


def annex_start(pages: list[list[str]]) -> int:
    """The index of the annex's first page (the list of those present)."""
    starts = [index for index, lines in enumerate(pages) if any(line.startswith(ANNEX) for line in lines)]
    assert len(starts) == 1, starts
    return starts[0]


def test_the_worst_case_breaks_like_a_typist(worst_pdf):
    pages = layout_pages(worst_pdf)
    print(f"\nworst case protocol: {len(pages)} pages")
    for number, lines in enumerate(pages, start=1):
        assert lines, f"page {number} is empty"
        assert not HEADING.match(lines[-1]), f"page {number} ends with the heading «{lines[-1]}»"
        body = [line for line in lines if not HEADING.match(line)]
        assert body, f"page {number} holds only a heading: {lines}"
    # No near-empty page: every page of the text but its last is at least two-thirds full.
    text_pages = pages[: annex_start(pages)]
    full = max(len(lines) for lines in text_pages)
    for number, lines in enumerate(text_pages[:-1], start=1):
        assert len(lines) >= full * 2 / 3, f"page {number} is near-empty: {lines}"


def test_the_long_decision_flows_on_from_its_heading(worst_pdf):
    """The 2,500-character decision starts right under «РЕШИЛИ (ПОСТАНОВИЛИ):», on the same page."""
    for lines in layout_pages(worst_pdf):
        for index, line in enumerate(lines):
            if line == "РЕШИЛИ (ПОСТАНОВИЛИ):":
                assert index + 1 < len(lines) and re.match(r"\d+\.1\. ", lines[index + 1]), lines[index:]


def test_the_annex_of_39_names_takes_at_most_two_pages(worst_pdf):
    pages = layout_pages(worst_pdf)
    start = annex_start(pages)
    assert len(pages) - start <= ANNEX_PAGES, f"the annex takes {len(pages) - start} pages"
    annex_text = "\n".join("\n".join(lines) for lines in pages[start:])
    for number in range(1, 40):
        assert re.search(rf"^{number}\s", annex_text, re.MULTILINE), f"row {number}"
    # One line per person: the name, position and organization of row 1 on one line.
    assert re.search(r"^1\s+Абрамова Е\.А\.\s+учитель математики", annex_text, re.MULTILINE), annex_text[:600]


def test_the_worst_case_protocol_is_whole(worst_pdf):
    text = normalize(" ".join(" ".join(lines) for lines in layout_pages(worst_pdf)))
    for expected in (
        normalize(IOC_NAME),  # a municipal community: the ИОЦ at the top
        "заседания профессионального обучающегося сообщества учителей математики",
        "Место проведения: МОУ «Средняя общеобразовательная школа № 3 имени Героя Советского Союза",
        "Время проведения: 15:30",
        "Форма проведения: заседание",
        "Председательствующий – О.В. Смирнова, учитель математики, руководитель ПОС (МОУ СШ № 3)",
        "Секретарь – Н.С. Белова, учитель математики (МОУ ОШ № 7)",
        "ВЫСТУПИЛИ:",
    ):
        assert expected in text, expected
    assert "сообщества «ПОС" not in text
    assert "«ПОС учителей математики»»" not in text
    # Every speaker: two докладчики in the agenda and under СЛУШАЛИ, two who spoke under ВЫСТУПИЛИ, per question.
    assert text.count("ВЫСТУПИЛИ:") == QUESTIONS
    assert text.count("Докладчики:") == QUESTIONS
    spoken = ("Абрамова Е.А., Борисова Е.С. – Рассказала", "Григорьева Е.С. – поддержала", "Гусева Н.А. – поддержала")
    for name in spoken:
        assert name in text, name


def test_the_draft_mark_stands_in_the_top_margin_of_every_page_and_covers_nothing(worst_pdf):
    for index in range(len(reader(worst_pdf).pages)):
        found, height = fragments(worst_pdf, index)
        marks = [fragment for fragment in found if "ПРОЕКТ" in fragment.text]
        assert marks, f"page {index + 1} has no «ПРОЕКТ»"
        for mark in marks:
            assert mark.y > height - TOP_MARGIN_PT, f"page {index + 1}: «ПРОЕКТ» in the text area"
        body = [fragment for fragment in found if fragment.y <= height - TOP_MARGIN_PT]
        assert not any("ПРОЕКТ" in fragment.text for fragment in body)


def test_names_and_numbers_never_break_across_lines(worst_pdf):
    """The lines of every page: none ends with a surname whose initials open the next, nor with «№», «п.», a number
    before its unit; none opens with a dash."""
    for lines in layout_pages(worst_pdf):
        for line, following in itertools.pairwise(lines):
            assert not re.search(r"(№|\bп\.|\bст\.)$", line), (line, following)
            assert not (re.search(r"[А-ЯЁ][а-яё]+$", line) and re.match(r"[А-ЯЁ]\.[А-ЯЁ]\.", following)), (
                line,
                following,
            )
            unit = re.match(r"(мин\b|г\.(?!\s*[А-ЯЁ])|%|класс)", following)
            assert not (re.search(r"\d$", line) and unit), (line, following)
            assert not re.match(r"[–—]", following), (line, following)


def test_names_and_numbers_are_joined_by_no_break_spaces(worst_pdf):
    """The PDF's text (pypdf keeps U+00A0): where a typist keeps words together, an ordinary space never stands."""
    text = "".join(page.extract_text() for page in reader(worst_pdf).pages)
    for pattern in (
        r"Смирнова(\s)О\.В\.",  # «Фамилия И.О.» in lists
        r"О\.В\.(\s)Смирнова",  # «И.О. Фамилия» after a position and under a signature
        r"№(\s)\d",
        r"\bп\.(\s)\d",
        r"\d(\s)мин\b",
        r"\d(\s)г\.(?!\s*[А-ЯЁ])",  # «2024 г.», not «№ 1» before «г. Тутаев» on the next line
        r"\d(\s)%",
        r"\w(\s)[–—]\s",  # a dash stays with the word before it
    ):
        found = {match.group(1) for match in re.finditer(pattern, text)}
        assert found == {"\u00a0"}, (pattern, found)
