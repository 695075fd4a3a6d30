"""The plan's and the annual report's headings name the community as the protocol does (issue 12, item 2): the kind
said once, a name that is already quoted not quoted again, nested quotes as „лапки“; their texts are typeset (no-break
spaces) in the PDF and in the .docx; what was seen when every document was printed to PNG: the plan's table inside
the right margin, flush-left text in the plan and the correction, no dash after СЛУШАЛИ without a speaker.
Read back from the PDFs (pypdf, pdftotext -bbox-layout) and the .docx (python-docx)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from communities.activity import ActivityForm
from meetings.models import Speaker
from reports.docx.extract import extract_docx
from reports.protocol_pdf import extract_context
from reports.views.documents import SHEET_FIRST_PAGE_ROWS, SHEET_PAGE_ROWS
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    DecisionFactory,
    MembershipFactory,
    PlanItemFactory,
    RegulationFactory,
    TeacherFactory,
    approve_directly,
)
from tests.reports.annual_data import YEAR
from tests.reports.docx_helpers import blocks, open_docx
from tests.reports.pdf_helpers import MM, normalize, page_texts, pdf_text, reader
from tests.reports.test_extracts_and_corrections import correct
from tests.reports.test_plan_pdf import plan  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

KIND = "профессионального обучающегося сообщества"
PROPER_NAME = "ПОС «Наставничество» МОУ «Средняя школа № 3»"
NAMES = [
    ("ПОС учителей математики", f"{KIND} учителей математики"),
    (PROPER_NAME, f"{KIND} «Наставничество» МОУ «Средняя школа № 3»"),
    ("ПОС воспитателей МДОУ «Детский сад № 12 «Солнышко»»", f"{KIND} воспитателей МДОУ «Детский сад № 12 „Солнышко“»"),
]
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
RIGHT_EDGE = (210 - 15) * MM  # A4 portrait, the right margin of 15 mm


def raw_pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in reader(data).pages)


def raw_docx_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def pdf_lines(data: bytes) -> list[tuple[str, float, float]]:
    """Every line of the PDF as (text, left, right) in points (pdftotext -bbox-layout)."""
    result = subprocess.run(
        [PDFTOTEXT, "-bbox-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    found = []
    for line in re.finditer(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>', result, re.S):
        words = re.findall(r">([^<]*)</word>", line.group(3))
        found.append((" ".join(words), float(line.group(1)), float(line.group(2))))
    return found


def paragraph_right_edges(data: bytes, first: str, after: str) -> list[float]:
    """The right edges of the lines from the one starting with ``first`` up to (not including) the one starting
    with ``after``: the lines of one paragraph."""
    lines = pdf_lines(data)
    start = next(index for index, (text, _, _) in enumerate(lines) if text.startswith(first))
    end = next(index for index in range(start + 1, len(lines)) if lines[index][0].startswith(after))
    return [right for _, _, right in lines[start:end]]


def get(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content


def plan_files(client, plan):  # noqa: F811
    pdf = get(client, reverse("reports:plan_pdf", args=[plan.pk]))
    document = open_docx(get(client, reverse("reports:plan_docx", args=[plan.pk])))
    return pdf, document


def report_files(client, community):
    kwargs = {"pk": community.pk, "year": YEAR.start_year}
    pdf = get(client, reverse("reports:annual_report_pdf", kwargs=kwargs))
    document = open_docx(get(client, reverse("reports:annual_report_docx", kwargs=kwargs)))
    return pdf, document


@pytest.mark.parametrize(("name", "genitive"), NAMES)
def test_the_plan_names_the_community_once_in_pdf_and_docx(client, community, leader, plan, name, genitive):  # noqa: F811
    community.name = name
    community.save()
    client.force_login(leader.user)
    pdf, document = plan_files(client, plan)
    expected = f"работы {genitive} на 2024/2025 учебный год"
    text = pdf_text(pdf)
    assert expected in text
    assert expected in blocks(document)
    assert document.core_properties.title == f"План работы {genitive} на 2024/2025 учебный год"
    for wrong in ("сообщества «ПОС", "«„", "»»"):
        assert wrong not in text
        assert wrong not in " ".join(blocks(document))


@pytest.mark.parametrize(("name", "genitive"), NAMES)
def test_the_annual_report_names_the_community_once_in_pdf_and_docx(client, community, leader, name, genitive):
    community.name = name
    community.save()
    client.force_login(leader.user)
    pdf, document = report_files(client, community)
    expected = f"о деятельности {genitive} за 2024/2025 учебный год"
    text = pdf_text(pdf)
    assert expected in text
    assert expected in blocks(document)
    for wrong in ("сообщества «ПОС", "«„", "»»"):
        assert wrong not in text
        assert wrong not in " ".join(blocks(document))


def test_the_plan_and_the_report_are_typeset_in_pdf_and_docx(client, community, leader, plan):  # noqa: F811
    community.name = PROPER_NAME
    community.save()
    plan.theme = "Оценивание в 5 классе по п. 4.2 положения"
    plan.save()
    approve_directly(plan)
    client.force_login(leader.user)
    plan_pdf, plan_document = plan_files(client, plan)
    report_pdf, report_document = report_files(client, community)
    for raw in (raw_pdf_text(plan_pdf), raw_docx_text(plan_document)):
        for joined in ("5\u00a0классе", "п.\u00a04.2", "№\u00a03", "О.В.\u00a0Смирнова"):
            assert joined in raw, joined
    for raw in (raw_pdf_text(report_pdf), raw_docx_text(report_document)):
        for joined in ("№\u00a03", "О.В.\u00a0Смирнова"):
            assert joined in raw, joined


def test_the_extracts_signatures_are_typeset_in_docx(signed_protocol, leader):
    item = signed_protocol.meeting.agenda.get(order=1)
    raw = raw_docx_text(open_docx(extract_docx(extract_context(signed_protocol, item))))
    assert leader.signature_name.replace(" ", "\u00a0") in raw
    assert not re.search(r"[А-ЯЁ]\.[А-ЯЁ]\. [А-ЯЁ]", raw), raw  # «О.В. Смирнова» with an ordinary space


def test_the_plans_table_stays_inside_the_right_margin(client, community, leader, member):
    """Seen on the demo's plan of «Развивающая среда» (these rows): «экспериментирование», «Взаимопосещение» and
    «Рекомендации» in one table pushed it 1.4 mm into the right margin. Narrower padding and columns as wide as
    their words keep it inside, words whole."""
    plan = AnnualPlanFactory(community=community, academic_year=YEAR, theme="Развивающая среда")  # noqa: F811
    for month, topic, form, result in (
        (9, "Организационное заседание: план работы ПОС на 2024/2025 учебный год", ActivityForm.SESSION, ""),
        (10, "Взаимопосещение образовательной деятельности в группах", ActivityForm.LESSON_VISIT, ""),
        (
            11,
            "Детское экспериментирование в познавательно-исследовательской деятельности",
            ActivityForm.MASTER_CLASS,
            "Рекомендации для членов ПОС",
        ),
        (1, "Взаимодействие с семьями воспитанников", ActivityForm.SESSION, "Сборник материалов из опыта работы"),
    ):
        PlanItemFactory(plan=plan, month=month, topic=topic, form=form, responsible=member, expected_result=result)
    client.force_login(leader.user)
    pdf, _ = plan_files(client, plan)
    beyond = [(text, round(right / MM, 1)) for text, _, right in pdf_lines(pdf) if right > RIGHT_EDGE]
    assert not beyond


def test_the_plan_is_set_flush_left(client, community, leader, plan):  # noqa: F811
    plan.goals = " ".join(["Освоить приёмы формирующего оценивания и обратной связи на уроках математики"] * 4)
    plan.save()
    client.force_login(leader.user)
    pdf, _ = plan_files(client, plan)
    edges = paragraph_right_edges(pdf, "Освоить", "Задачи")
    assert len(edges) >= 3
    assert max(edges[:-1]) - min(edges[:-1]) > 3 * MM  # ragged right: justified lines would all end at the margin


def test_the_correction_is_set_flush_left(client, signed_protocol, leader):
    text = " ".join(["В решении по первому вопросу следует читать «рубрики и листы самооценки»"] * 4)
    correction = correct(signed_protocol, leader, text=text, reason="Техническая ошибка")
    pdf = get(client_for(client, leader), reverse("reports:correction_pdf", args=[correction.pk]))
    edges = paragraph_right_edges(pdf, "Содержание", "Основание")
    assert len(edges) >= 3
    assert max(edges[:-1]) - min(edges[:-1]) > 3 * MM


def client_for(client, teacher):
    client.force_login(teacher.user)
    return client


def test_heard_without_a_speaker_has_no_dash(client, draft_protocol, leader):
    item = AgendaItemFactory(meeting=draft_protocol.meeting, order=2, heard="О ходе выполнения поручений.")
    Speaker.objects.filter(agenda_item=item).delete()
    DecisionFactory(agenda_item=item)
    pdf = get(client_for(client, leader), reverse("reports:protocol_pdf", args=[draft_protocol.meeting_id]))
    text = pdf_text(pdf)
    assert "2. СЛУШАЛИ: О ходе выполнения поручений." in text
    document = open_docx(get(client, reverse("reports:protocol_docx", args=[draft_protocol.meeting_id])))
    lines = blocks(document)
    assert lines[lines.index("2. СЛУШАЛИ:") + 1] == "О ходе выполнения поручений."


def test_the_sheet_names_the_regulation_and_the_community_with_quotes_nested_right(client, community, leader):
    """Seen on the demo's sheet: «с документом «Положение о ПОС «Наставничество» МОУ «Средняя школа № 3»»» and
    «Действует … в ПОС «ПОС «Наставничество» …»»»."""
    community.name = PROPER_NAME
    community.save()
    regulation = RegulationFactory(community=community, title=f"Положение о {PROPER_NAME}")
    client.force_login(leader.user)
    url = reverse("reports:sheet_pdf", args=[regulation.pk])
    document = open_docx(get(client, reverse("reports:sheet_docx", args=[regulation.pk])))
    for text in (pdf_text(get(client, url)), " ".join(blocks(document))):
        assert "с документом «Положение о ПОС „Наставничество“ МОУ „Средняя школа № 3“»" in text
        assert f"для {KIND} «Наставничество» МОУ «Средняя школа № 3»." in text
        assert "ПОС «ПОС" not in text and "»»" not in text


def test_the_blank_sheet_fills_its_last_page_and_never_leaves_a_line_alone(client, community, leader, member):
    """Seen on the demo's blank sheet: 13 rows, the 13th and «Сформировано …» alone on page 2. The empty rows now
    run to the foot of the last page; every page holds rows."""
    regulation = RegulationFactory(community=community, title="Положение о ПОС учителей математики")
    for _ in range(6):
        MembershipFactory(community=community, teacher=TeacherFactory(organization=leader.organization))
    client.force_login(leader.user)
    data = get(client, reverse("reports:sheet_pdf", args=[regulation.pk]) + "?blank=1")
    pages = [normalize(text) for text in page_texts(data)]
    assert len(pages) == 2
    for text in pages:
        assert re.search(r"(^|\s)\d+(\s|$)", text.replace("Сформировано", "")), text  # numbered rows on every page
    last_row = max(int(number) for number in re.findall(r"(?m)^\s*(\d+)\s*$", "\n".join(page_texts(data))))
    assert last_row == SHEET_FIRST_PAGE_ROWS + SHEET_PAGE_ROWS


def test_the_annual_reports_signature_in_word_keeps_with_the_last_section(client, community, leader):
    """Seen in the demo's accepted report opened in LibreOffice: page 4 held the signature, the date and «Принят: …»
    only. The last section's text now keeps with the signature."""
    client.force_login(leader.user)
    _, document = report_files(client, community)
    body = list(document.iter_inner_content())
    heading = next(index for index, block in enumerate(body) if getattr(block, "text", "").startswith("16. "))
    text, spacer, signature = body[heading + 1 : heading + 4]
    assert text.text == "не заполнено" and spacer.text == ""
    assert signature.rows[0].cells[0].text == "Руководитель ПОС"
    assert text.paragraph_format.keep_with_next
