"""The accessibility scan of the journeys (tests/browser/axe.py) finds what it must: a page with an image without
text and a button without a name fails, the portal's own pages pass, and a skip link leads to the content."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from communities.activity import ActivityForm
from meetings.models import Decision
from meetings.services import protocol_correct
from meetings.services.assignments import follow_up_question_add
from notifications.mail import ALL_KINDS, unsubscribe_token
from reports.models.documents import CorrectionDocument, ProtocolDocument
from tests.browser.axe import AxeScan
from tests.browser.conftest import held_meeting, login, recent_day, this_year
from tests.factories import AnnualPlanFactory, PlanItemFactory, RegulationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_PAGE = "<!doctype html><html><body><img src='/static/none.png'><button></button></body></html>"


def test_a_page_with_serious_violations_is_reported(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        tab.route("**/bad-page/", lambda route: route.fulfill(content_type="text/html", body=BAD_PAGE))
        axe = AxeScan(tab, live_server.url).attach()
        tab.goto("/bad-page/")
        tab.locator("button")  # the journey's next look at the page scans it first
    finally:
        context.close()
    assert axe.scanned == [f"{live_server.url}/bad-page/"]
    found = "\n".join(axe.violations)
    for rule in ("image-alt (critical)", "button-name (critical)", "html-has-lang (serious)"):
        assert rule in found, found


def test_skip_link_moves_to_the_content(page, leader, community):
    login(page, "leader")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержимому")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()


# --- the pages that landed with issue 13: each one scanned, as the person who sees it -----------------------------


@pytest.fixture
def new_pages_world(settings, community, leader, member, math_team, methodist):
    """A signed protocol with a correction (both with their check codes), a draft too large to lay out, a plan
    of the year with four sessions, and a task queue (so the district summary is «готовится»)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    signed = held_meeting(community, leader, [leader, member, *math_team], day=recent_day(), topic="О плане работы")
    protocol_correct(protocol=signed, author=leader, text="Читать «тема» вместо «темы».", reason="Опечатка")
    draft = held_meeting(community, leader, [leader, member], day=recent_day(), topic="Длинный вопрос", sign=False)
    Decision.objects.filter(agenda_item__meeting=draft.meeting).update(text="ф" * 200_000)
    plan = AnnualPlanFactory(community=community, academic_year=this_year())
    for month in (9, 10, 11, 12):
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    return {"signed": signed, "draft": draft, "plan": plan}


#: Whether the page fits the screen's width (no sideways scroll).
FITS_WIDTH = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_new_pages_pass_the_scan(page, new_pages_world, member, leader, width):
    """Every page is scanned by the ``page`` fixture on its next look (a serious or critical violation fails it),
    on a desktop and on a phone, where it must also fit the width."""
    page.set_viewport_size({"width": width, "height": 844})
    seen = []

    def fits():
        seen.append(page.url)
        assert page.evaluate(FITS_WIDTH), f"{page.url} scrolls sideways at {width} px"

    signed, draft, plan = (new_pages_world[key] for key in ("signed", "draft", "plan"))
    meeting = reverse("meetings:detail", args=[signed.meeting_id])

    # Anyone: the check of a document on paper, the one-click unsubscribe of a letter.
    page.goto(reverse("reports:document_check_form"))
    page.get_by_role("heading", level=1).wait_for()
    fits()
    for document in (ProtocolDocument.objects.get(protocol=signed), CorrectionDocument.objects.get()):
        page.goto(reverse("reports:document_check", args=[document.verification_code]))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        fits()
    page.goto(reverse("reports:document_check", args=["ABCDE23456"]))  # a code that was never issued
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits()
    page.goto(reverse("notifications:unsubscribe", args=[unsubscribe_token(member.user_id, ALL_KINDS)]))
    page.get_by_role("button", name="Отписаться").click()
    expect(page.locator("#unsubscribed")).to_be_visible()
    fits()

    # The member: the protocol's receipt, «Календарь», «Уведомления».
    login(page, "member")
    page.goto(meeting)
    page.get_by_role("button", name="Ознакомлен(а) с протоколом").click()
    expect(page.locator("#receipt-done")).to_be_visible()
    fits()
    page.goto(reverse("meetings:calendar_settings"))
    page.get_by_role("button", name="Получить адрес календаря").click()
    expect(page.get_by_label("Адрес календаря")).to_be_visible()
    fits()
    page.goto(reverse("notifications:settings"))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Настройки уведомлений сохранены.")).to_be_visible()
    fits()

    # The leader: the count of receipts and the correction form, the plan sent with the signed protocol,
    # a document too large to lay out (413).
    page.context.clear_cookies()
    login(page, "leader")
    page.goto(meeting)
    expect(page.locator("#receipt-count")).to_contain_text("Ознакомлены: 1 из")
    fits()
    page.goto(reverse("meetings:plan_submit", args=[plan.pk]))
    page.get_by_label("Протокол заседания", exact=False).select_option(index=0)
    page.get_by_role("button", name="Отправить на утверждение").click()
    expect(page.get_by_text("на утверждении", exact=False).first).to_be_visible()
    fits()
    page.goto(reverse("reports:protocol_pdf", kwargs={"meeting_pk": draft.meeting_id}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Документ слишком большой")
    fits()

    # The methodist: the plan's review form, the district summary being prepared.
    page.context.clear_cookies()
    login(page, "metodist")
    page.goto(reverse("communities:plan_detail", args=[plan.pk]))
    page.get_by_role("button", name="Вернуть на доработку").click()  # without the comment it needs
    expect(page.get_by_role("button", name="Утвердить")).to_be_visible()
    fits()
    page.goto(reverse("reports:district_summary_pdf") + f"?year={this_year().label}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Сводка по сообществам готовится")
    fits()
    # It looks again by itself, unless the person turns that off (WCAG 2.2.1).
    expect(page.locator("[data-auto-refresh]")).to_contain_text("Страница обновится сама через 5 с")
    fits()
    page.get_by_role("button", name="Не обновлять автоматически").click()
    expect(page.locator("[data-auto-refresh]")).to_contain_text("Автоматическое обновление выключено")
    fits()
    assert len(seen) >= 15, seen


# --- the pages with tables: on a phone each table scrolls sideways inside its own region, which the keyboard reaches


#: What sticks out to the right of a phone's screen (outside a table's own region): the failure's message.
WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.parentElement.closest('.table-responsive'))
  .slice(0, 12).map(e => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture
def tables_world(community, leader, member, math_team):
    """A signed protocol with the member's assignment, a later draft with the question on it, a plan of the year,
    and a regulation of the community (its sheet lists the members)."""
    signed = held_meeting(
        community, leader, [leader, member, *math_team], day=recent_day(), topic="Об оценивании", assignment_for=member
    )
    draft = held_meeting(community, leader, [leader, member], day=timezone.localdate(), topic="Итоги", sign=False)
    follow_up = follow_up_question_add(meeting=draft.meeting)
    plan = AnnualPlanFactory(community=community, academic_year=this_year())
    for month in (9, 10):
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    regulation = RegulationFactory(community=community, title="Положение о ПОС учителей математики")
    return {"signed": signed, "draft": draft, "follow_up": follow_up, "regulation": regulation}


def test_the_pages_with_tables_pass_the_scan_on_a_phone(page, tables_world, community, member, leader, methodist):
    """At 390 px every page with a table is scanned (a serious or critical violation fails it: a table that scrolls
    and cannot be reached by the keyboard is ``scrollable-region-focusable``), fits the width itself, and names
    its tables' regions by their headings."""
    page.set_viewport_size({"width": 390, "height": 844})
    seen = []

    def look(url, *regions):
        page.goto(url)
        page.get_by_role("heading", level=1).wait_for()
        for name in regions:
            expect(page.get_by_role("region", name=name, exact=True)).to_be_visible()
        assert page.locator(".table-responsive").count() == len(regions), url
        assert page.evaluate(FITS_WIDTH), f"{url} scrolls sideways at 390 px: " + str(page.evaluate(WIDER))
        seen.append(url)

    draft, follow_up, regulation = (tables_world[key] for key in ("draft", "follow_up", "regulation"))
    year = this_year()

    login(page, "leader")
    look(
        reverse("communities:detail", args=[community.pk]),
        "История назначений",
        re.compile(r"^Члены ПОС \(\d+\)$"),
        f"Протоколы {year} уч. года",
    )
    look(reverse("communities:history", args=[community.pk]), "История изменений")
    look(reverse("meetings:community_assignments", args=[community.pk]), "Поручения")
    look(reverse("meetings:follow_up", args=[follow_up.pk]), f"{follow_up.order}. {follow_up.question}")
    look(reverse("meetings:attendance", args=[draft.meeting_id]), re.compile("^Присутствие: "))
    look(reverse("meetings:detail", args=[draft.meeting_id]), re.compile("^Члены ПОС на "))  # the editor's part
    look(
        reverse("reports:annual_report", args=[community.pk, year.start_year]),
        "Выполнение плана работы",
        "Проведённые заседания и мероприятия",
        "Заседания и мероприятия",
    )
    look(reverse("communities:regulation_detail", args=[regulation.pk]), "Лист ознакомления")
    look(reverse("communities:regulations"), "Положения")

    page.context.clear_cookies()
    login(page, "member")
    look(reverse("meetings:my_assignments"), "Мои поручения")

    page.context.clear_cookies()
    login(page, "metodist")
    look(reverse("communities:list"), "Профессиональные обучающиеся сообщества")
    look(reverse("communities:teachers"), "Педагоги района")
    look(reverse("reports:annual_report_list"), f"Отчёты ПОС за {year} учебный год")
    look(reverse("reports:dashboard"), f"Сводка по сообществам района — {year} уч. год")
    # The keyboard reaches the wide table and scrolls it sideways.
    table = page.get_by_role("region", name=f"Сводка по сообществам района — {year} уч. год")
    assert table.evaluate("region => region.scrollWidth > region.clientWidth"), "the summary fits: nothing to test"
    table.focus()
    expect(table).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    assert len(seen) == 14, seen
