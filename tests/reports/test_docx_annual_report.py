"""The annual activity report as .docx, read back with python-docx: the sections and figures of its PDF, the
leader's text, the signature, «ПРОЕКТ» until accepted, and the same readers."""

import pytest
from django.urls import reverse

from reports.annual_documents import annual_report_document_context
from reports.docx.annual_report import annual_report_docx
from reports.models import AnnualReport
from reports.services import annual_report_accept, annual_report_submit
from tests.reports.annual_data import YEAR, build_year, written_report
from tests.reports.docx_helpers import assert_gost_layout, blocks, get_docx, header_text, keeps_with_next, open_docx
from tests.reports.readers import COMMUNITY_READERS, log_in

pytestmark = pytest.mark.django_db

SECTIONS = (
    "1. Состав сообщества",
    "2. Выполнение плана работы",
    "3. Заседания и мероприятия по формам работы",
    "4. Посещаемость",
    "5. Решения и поручения",
    "6. Методические материалы",
    "7. Результаты",
    "8. Трудности",
    "9. Предложения",
)


@pytest.fixture
def report(community, leader):
    return written_report(community, leader)


def report_url(community):
    return reverse("reports:annual_report_docx", kwargs={"pk": community.pk, "year": YEAR.start_year})


def test_report_in_word_from_draft_to_accepted(client, community, leader, member, methodist, report):
    build_year(community, leader, member)
    client.force_login(member.user)
    document = get_docx(client, report_url(community), "Otchet-POS")
    lines = blocks(document)
    context = annual_report_document_context(community, YEAR, AnnualReport.objects.get(pk=report.pk))
    assert lines[:3] == [
        context["organization_name"],
        "ОТЧЁТ",
        "о деятельности профессионального обучающегося сообщества «ПОС учителей математики» за 2024/2025 учебный год",
    ]
    positions = [lines.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    for section in SECTIONS:
        assert keeps_with_next(document, section), section
    assert lines[lines.index("7. Результаты") + 1] == "Освоили приёмы формирующего оценивания."
    assert lines[lines.index("8. Трудности") + 1] == "Не хватало времени на взаимопосещения."
    assert lines[lines.index("9. Предложения") + 1] == "Продолжить работу над рубриками."
    plan_table = document.tables[0]
    assert [cell.text for cell in plan_table.rows[0].cells] == [
        "№",
        "Мероприятие плана",
        "Месяц (дата)",
        "Форма работы",
        "Выполнение",
    ]
    topics = [row.cells[1].text for row in plan_table.rows[1:]]
    assert "Старт формирующего оценивания" in topics and "Итоги года и планы" in topics
    assert any(row.cells[4].text.startswith("не выполнено") for row in plan_table.rows[1:])
    figures = context["figures"]
    assert f"Принято решений | {figures.decisions}" in lines
    assert f"Всего проведено | | {figures.meetings_held}" in lines
    assert "Руководитель ПОС | _______________ подпись | О.В. Смирнова" in lines
    assert lines[-1] == context["signed_on"].strftime("%d.%m.%Y")
    assert header_text(document, first_page=True) == "ПРОЕКТ"
    assert_gost_layout(document)

    annual_report_accept(report=annual_report_submit(report=report, user=leader.user), user=methodist)
    document = get_docx(client, report_url(community))
    assert "ПРОЕКТ" not in header_text(document, first_page=True) + header_text(document, first_page=False)
    assert "Освоили приёмы формирующего оценивания." in blocks(document)


def test_no_report_yet_prints_the_figures_and_not_filled(community, leader):
    document = open_docx(annual_report_docx(annual_report_document_context(community, YEAR, None)))
    lines = blocks(document)
    assert lines[lines.index("7. Результаты") + 1] == "не заполнено"
    assert "Плана работы на 2024/2025 учебный год в портале нет." in lines
    assert header_text(document, first_page=True) == "ПРОЕКТ"


@COMMUNITY_READERS
def test_report_docx_access(request, client, community, leader, member, report, persona, status):
    log_in(request, client, persona)
    assert client.get(report_url(community)).status_code == status


def test_bad_year_and_post(client, community, member):
    client.force_login(member.user)
    assert client.post(report_url(community)).status_code == 405
    url = reverse("reports:annual_report_docx", kwargs={"pk": community.pk, "year": 1})
    assert client.get(url).status_code == 404


def test_report_pages_link_to_the_word_file(client, community, methodist, report):
    client.force_login(methodist)
    page = client.get(reverse("reports:annual_report", kwargs={"pk": community.pk, "year": YEAR.start_year}))
    assert report_url(community) in page.content.decode()
    listing = client.get(reverse("reports:annual_report_list"), {"year": YEAR.label})
    assert report_url(community) in listing.content.decode()
