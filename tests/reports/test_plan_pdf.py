"""The annual plan as a PDF: read back with pypdf."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from communities.activity import ActivityForm
from communities.models import Membership
from tests.factories import AnnualPlanFactory, PlanItemFactory, approve_directly
from tests.reports.annual_data import YEAR
from tests.reports.readers import COMMUNITY_READERS, log_in

pytestmark = pytest.mark.django_db

TOPICS = [
    "Формирующее оценивание: с чего начать",
    "Рубрики и критерии",
    "Открытые уроки коллег",
    "Обратная связь ученику",
    "Итоги года",
]


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def plan(community, leader, member):
    plan = AnnualPlanFactory(
        community=community,
        academic_year=YEAR,
        theme="Формирующее оценивание на уроке",
        goals="Освоить приёмы формирующего оценивания.",
        tasks="Разработать рубрики.",
        composition="2 педагога: учитель — 2.",
        professional_needs="Обратная связь на уроке.",
    )
    forms = [ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.LESSON_VISIT, ActivityForm.SESSION]
    for month, topic, form in zip((9, 11, 1, 3), TOPICS, forms, strict=False):
        PlanItemFactory(plan=plan, month=month, topic=topic, form=form, responsible=member, expected_result="Памятка")
    PlanItemFactory(plan=plan, month=5, planned_on=dt.date(2025, 5, 20), topic=TOPICS[4], responsible=leader)
    return plan


def get_pdf(client, plan):
    response = client.get(reverse("reports:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_draft_plan_pdf(client, community, member, plan):
    client.force_login(member.user)
    text = get_pdf(client, plan)
    assert "ПЛАН" in text
    # The kind is said once, the name not quoted again (Community.title_genitive).
    assert "работы профессионального обучающегося сообщества учителей математики на 2024/2025 учебный год" in text
    assert f"«{community.name}»" not in text
    for topic in TOPICS:
        assert topic in text
    for value in (
        "Формирующее оценивание на уроке",
        "Освоить приёмы",
        "Разработать рубрики",
        "Обратная связь на уроке",
    ):
        assert value in text
    for header in ("Месяц (дата)", "Тема", "Форма работы", "Ответственный", "Ожидаемый результат"):
        assert header in text
    assert "сентябрь" in text
    assert "20.05.2025" in text
    assert "Взаимопосещение уроков/занятий" in text
    assert member.short_name in text
    assert "ПРОЕКТ" in text
    assert "УТВЕРЖДАЮ" not in text
    assert "Руководитель ПОС" in text


def test_approved_plan_pdf(client, community, leader, plan):
    approve_directly(plan)
    client.force_login(leader.user)
    text = get_pdf(client, plan)
    assert "ПРОЕКТ" not in text
    assert "УТВЕРЖДАЮ" in text
    assert leader.signature_name in text
    plan.refresh_from_db()
    assert plan.approved_at.astimezone().strftime("%d.%m.%Y") in text or plan.approved_at.strftime("%d.%m.%Y") in text
    for topic in TOPICS:
        assert topic in text


def test_user_text_is_escaped(client, community, leader, plan):
    PlanItemFactory(plan=plan, month=4, topic='<link rel="attachment" href="file:///etc/passwd">Тема')
    client.force_login(leader.user)
    text = get_pdf(client, plan)
    # The long «word» may wrap at the slash: compare without spaces.
    assert '<linkrel="attachment"href="file:///etc/passwd">Тема' in text.replace(" ", "")


@COMMUNITY_READERS
def test_plan_pdf_access(request, client, plan, persona, status):
    log_in(request, client, persona)
    assert client.get(reverse("reports:plan_pdf", args=[plan.pk])).status_code == status


def test_a_former_member_no_longer_reads_the_plan(client, member, plan):
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    client.force_login(member.user)
    assert client.get(reverse("reports:plan_pdf", args=[plan.pk])).status_code == 404


def test_missing_plan_is_404_and_post_is_refused(client, leader, plan):
    client.force_login(leader.user)
    assert client.get(reverse("reports:plan_pdf", args=[999999])).status_code == 404
    assert client.post(reverse("reports:plan_pdf", args=[plan.pk])).status_code == 405


def test_plan_page_links_to_the_pdf(client, member, plan):
    client.force_login(member.user)
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("reports:plan_pdf", args=[plan.pk]) in page
