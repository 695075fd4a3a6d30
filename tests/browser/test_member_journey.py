"""The member in a real browser: reads and acknowledges the district regulation, then reports the assignment
given to him at the last meeting."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Acknowledgement
from meetings.models import Assignment
from tests.browser.conftest import held_meeting, login, recent_day, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Подготовить открытый урок с приёмами формирующего оценивания."


@pytest.fixture
def assignment(community, leader, member, math_team):
    held_meeting(
        community,
        leader,
        [leader, member, *math_team],
        day=recent_day(),
        topic="Приёмы формирующего оценивания",
        assignment_for=member,
    )
    return Assignment.objects.get(responsible=member)


def test_member_acknowledges_the_regulation_and_reports_the_assignment(page, member, assignment):
    today = timezone.localdate()
    login(page, "member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Игорь Павлович!")
    to_read = page.locator(".card", has_text="Положения, с которыми нужно ознакомиться")
    expect(to_read).to_be_visible()
    tasks = page.locator(".card", has_text="Мои поручения")
    expect(tasks).to_contain_text(TASK)
    screenshot(page, "home-member", full_page=True)

    # The regulation: read it, then «Ознакомлен(а)».
    to_read.get_by_role("link").first.click()
    expect(page.get_by_text("4.2. Заседания ПОС проводятся не реже 4 раз в учебный год.")).to_be_visible()
    page.get_by_role("button", name="Ознакомлен(а)").click()
    expect(page.get_by_text(f"Отмечено: вы ознакомлены с положением {today:%d.%m.%Y}.")).to_be_visible()
    expect(page.locator(".card-body .text-success")).to_have_text(f"Вы ознакомлены с положением {today:%d.%m.%Y}.")
    expect(page.get_by_role("button", name="Ознакомлен(а)")).to_have_count(0)

    # Back home: nothing left to read; the assignment is reported from there.
    page.get_by_role("link", name="Главная").first.click()
    expect(page.get_by_text("Положения, с которыми нужно ознакомиться")).to_have_count(0)
    tasks.locator("li", has_text=TASK).get_by_role("link", name="Отчитаться").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Отчёт о поручении")
    page.get_by_label("Дата выполнения").fill(today.isoformat())
    page.get_by_label("Отчёт о выполнении").fill("Урок проведён 7 «Б» классе, конспект — в материалах ПОС.")
    page.get_by_role("button", name="Отправить отчёт на проверку").click()
    expect(page.get_by_text("Отчёт отправлен руководителю ПОС на проверку.")).to_be_visible()

    page.get_by_role("link", name="Главная").first.click()
    expect(page.locator(".card", has_text="Мои поручения")).to_contain_text("Открытых поручений нет.")

    assignment.refresh_from_db()
    assert (assignment.status, assignment.done_on) == (Assignment.Status.REVIEW, today)  # the leader accepts it
    assert assignment.report == "Урок проведён 7 «Б» классе, конспект — в материалах ПОС."
    assert Acknowledgement.objects.filter(teacher=member, acknowledged_on=today).count() == 1
