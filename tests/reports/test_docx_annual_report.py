"""The annual activity report as .docx, read back with python-docx: the sections and figures of its PDF, the
leader's text, the signature, «ПРОЕКТ» until accepted, and the same readers."""

import pytest
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH

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
    "3. Проведённые заседания и мероприятия",
    "4. Формы работы",
    "5. Посещаемость",
    "6. Решения и поручения",
    "7. Методические материалы",
    "8. Открытые уроки, мастер-классы и выступления членов ПОС",
    "9. Участие в конкурсах",
    "10. Публикации и методическая продукция",
    "11. Курсы повышения квалификации",
    "12. Результаты",
    "13. Трудности",
    "14. Выводы",
    "15. Предложения",
    "16. Задачи на следующий учебный год",
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
        "о деятельности профессионального обучающегося сообщества учителей математики за 2024/2025 учебный год",
    ]
    positions = [lines.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    for section in SECTIONS:
        assert keeps_with_next(document, section), section
    assert lines[lines.index("12. Результаты") + 1] == "Освоили приёмы формирующего оценивания."
    assert lines[lines.index("13. Трудности") + 1] == "Не хватало времени на взаимопосещения."
    assert lines[lines.index("15. Предложения") + 1] == "Продолжить работу над рубриками."
    assert lines[lines.index("14. Выводы") + 1] == "не заполнено"
    # The meetings held, with their dates and topics, and the assignments with who did them and when.
    assert "1 | 15.10.2024 | Заседание | Старт | 2 из 2 | протокол № 1" in lines
    assert "2 | 10.12.2024 | Мастер-класс | Рубрики | 2 из 3 | протокол № 2 (проект)" in lines
    assert any(
        line.startswith("2 | Открытый урок | ") and line.endswith("| 01.11.2024 | выполнено 30.10.2024")
        for line in lines
    )
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
    accepted = AnnualReport.objects.get(pk=report.pk)
    assert blocks(document)[-1] == accepted.acceptance
    assert accepted.acceptance.startswith("Принят: методист, МУ ДПО «ИОЦ» ТМР, ")
    assert not any(p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY for p in document.paragraphs)


def test_no_report_yet_prints_the_figures_and_not_filled(community, leader):
    document = open_docx(annual_report_docx(annual_report_document_context(community, YEAR, None)))
    lines = blocks(document)
    assert lines[lines.index("12. Результаты") + 1] == "не заполнено"
    assert lines[lines.index("16. Задачи на следующий учебный год") + 1] == "не заполнено"
    assert not any(line.startswith("Принят:") for line in lines)
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
