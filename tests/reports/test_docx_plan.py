"""The annual plan as .docx, read back with python-docx: the same requisites as its PDF, the table at 12 pt, and
the same readers."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from reports.annual_documents import plan_document_context
from reports.docx.plan import plan_docx
from tests.factories import approve_directly
from tests.reports.docx_helpers import assert_gost_layout, blocks, get_docx, header_text, keeps_with_next, open_docx
from tests.reports.readers import COMMUNITY_READERS, log_in
from tests.reports.test_plan_pdf import TOPICS, plan  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def plan_url(plan):  # noqa: F811
    return reverse("reports:plan_docx", args=[plan.pk])


def test_draft_plan_in_word(client, community, member, plan):  # noqa: F811
    client.force_login(member.user)
    document = get_docx(client, plan_url(plan), "Plan-raboty-POS")
    lines = blocks(document)
    assert lines[:3] == [
        plan_document_context(plan, community)["organization_name"],
        "ПЛАН",
        "работы профессионального обучающегося сообщества учителей математики на 2024/2025 учебный год",
    ]
    for heading, value in (
        ("Тема работы", "Формирующее оценивание на уроке"),
        ("Цели", "Освоить приёмы формирующего оценивания."),
        ("Задачи", "Разработать рубрики."),
        ("Количественный и качественный состав", "2 педагога: учитель — 2."),
        ("Профессиональные потребности членов ПОС", "Обратная связь на уроке."),
    ):
        assert lines[lines.index(heading) + 1] == value
        assert keeps_with_next(document, heading)
    grid = document.tables[0]
    assert [cell.text.replace("\u00ad", "") for cell in grid.rows[0].cells] == [  # soft hyphens aside
        "№",
        "Месяц (дата)",
        "Тема",
        "Форма работы",
        "Ответственный",
        "Ожидаемый результат",
    ]
    assert len(grid.rows) == 1 + len(TOPICS)
    assert [row.cells[2].text for row in grid.rows[1:]] == TOPICS
    assert "Кузнецов\u00a0И.П." in grid.rows[1].cells[4].text  # typeset as in the PDF
    assert "Руководитель ПОС | _______________ подпись | О.В. Смирнова" in lines
    assert "УТВЕРЖДАЮ" not in lines
    assert header_text(document, first_page=True) == "ПРОЕКТ"
    assert_gost_layout(document)
    properties = document.core_properties
    assert (
        properties.title
        == "План работы профессионального обучающегося сообщества учителей математики на 2024/2025 учебный год"
    )
    assert properties.author == lines[0] and properties.last_modified_by == "ПОС-портал"


def test_approved_plan_in_word_carries_the_approval(client, community, leader, methodist, plan):  # noqa: F811
    methodist.first_name, methodist.last_name = "Анна", "Методистова"
    methodist.save()
    approve_directly(plan, methodist)
    plan.refresh_from_db()
    client.force_login(leader.user)
    document = get_docx(client, plan_url(plan))
    lines = blocks(document)
    approved_on = timezone.localdate(plan.approved_at).strftime("%d.%m.%Y")
    start = lines.index("УТВЕРЖДАЮ")
    assert start == 0  # above the organization
    assert lines[start + 1 : start + 5] == [  # a methodist without a teacher profile: of the ИОЦ
        "Методист",
        "МУ ДПО «ИОЦ» ТМР",
        "______________ А. Методистова",  # «И.О. Фамилия», as under every signature
        approved_on,
    ]
    assert "ПРОЕКТ" not in header_text(document, first_page=True)
    assert document.core_properties.created.date() == timezone.localdate(plan.approved_at)
    assert keeps_with_next(document, "УТВЕРЖДАЮ")


def test_same_plan_same_bytes(community, plan):  # noqa: F811
    assert plan_docx(plan_document_context(plan, community)) == plan_docx(plan_document_context(plan, community))


def test_a_plan_without_events_says_so(community, plan):  # noqa: F811
    plan.items.all().delete()
    document = open_docx(plan_docx(plan_document_context(plan, community)))
    assert "Мероприятия не запланированы." in blocks(document)


@COMMUNITY_READERS
def test_plan_docx_access(request, client, plan, persona, status):  # noqa: F811
    log_in(request, client, persona)
    assert client.get(plan_url(plan)).status_code == status


def test_former_member_missing_plan_and_post(client, member, plan):  # noqa: F811
    client.force_login(member.user)
    assert client.post(plan_url(plan)).status_code == 405
    assert client.get(reverse("reports:plan_docx", args=[10**9])).status_code == 404
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    assert client.get(plan_url(plan)).status_code == 404


def test_plan_page_links_to_the_word_file(client, member, plan):  # noqa: F811
    client.force_login(member.user)
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert plan_url(plan) in page
