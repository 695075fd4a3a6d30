"""The member in a real browser: reads and acknowledges the district regulation, then reports the assignment
given to him at the last meeting."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Acknowledgement
from meetings.models import Assignment, ProtocolReceipt
from notifications.kinds import ASSIGNMENT_GIVEN
from notifications.models import Delivery, Preference
from tests.browser.conftest import Counted, held_meeting, login, recent_day, record_counts, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK = "Подготовить открытый урок с приёмами формирующего оценивания."
#: The journey's target: each new piece of work (the receipt, the calendar's address, a kind in the digest) costs
#: at most two page loads and no typing beyond the sign-in and the report.
MAX_PAGE_LOADS = 14
MAX_KEYSTROKES = 85
#: The counts before the receipt, the calendar and the notifications were part of the journey.
BEFORE = "8 page loads, 85 keystrokes, 7 clicks"
REPORT = "Урок проведён 7 «Б» классе, конспект — в материалах ПОС."


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
    user = Counted(page)
    user.login("member")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Игорь Павлович!")
    to_read = page.locator(".card", has_text="Положения, с которыми нужно ознакомиться")
    expect(to_read).to_be_visible()
    tasks = page.locator(".card", has_text="Мои поручения")
    expect(tasks).to_contain_text(TASK)
    screenshot(page, "home-member", full_page=True)

    # The regulation: read it, then «Ознакомлен(а)».
    user.click(to_read.get_by_role("link").first)
    expect(page.get_by_text("4.2. Заседания ПОС проводятся не реже 4 раз в учебный год.")).to_be_visible()
    user.click(page.get_by_role("button", name="Ознакомлен(а)"))
    expect(page.get_by_text(f"Отмечено: вы ознакомлены с положением {today:%d.%m.%Y}.")).to_be_visible()
    expect(page.locator(".card-body .text-success")).to_have_text(f"Вы ознакомлены с положением {today:%d.%m.%Y}.")
    expect(page.get_by_role("button", name="Ознакомлен(а)")).to_have_count(0)

    # Back home: nothing left to read; the assignment is reported from there.
    user.click(page.get_by_role("link", name="Главная").first)
    expect(page.get_by_text("Положения, с которыми нужно ознакомиться")).to_have_count(0)
    user.click(tasks.locator("li", has_text=TASK).get_by_role("link", name="Отчитаться"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Отчёт о поручении")
    user.fill(page.get_by_label("Дата выполнения"), today.isoformat())
    user.fill(page.get_by_label("Отчёт о выполнении"), REPORT)
    user.click(page.get_by_role("button", name="Отправить отчёт на проверку"))
    expect(page.get_by_text("Отчёт отправлен руководителю ПОС на проверку.")).to_be_visible()

    user.click(page.get_by_role("link", name="Главная").first)
    expect(page.locator(".card", has_text="Мои поручения")).to_contain_text("Открытых поручений нет.")

    # The latest protocol, signed by the leader: «Ознакомлен(а) с протоколом».
    user.click(page.locator("#latest-protocols").get_by_role("link").first)
    user.click(page.get_by_role("button", name="Ознакомлен(а) с протоколом"))
    expect(page.locator("#receipt-done")).to_have_text(f"Вы ознакомлены с протоколом {today:%d.%m.%Y}.")
    expect(page.get_by_role("button", name="Ознакомлен(а) с протоколом")).to_have_count(0)

    # «Календарь» (the account menu): the personal feed's address, which a calendar application reads.
    user.click(page.locator(".navbar .dropdown-toggle"))
    user.click(page.get_by_role("link", name="Календарь", exact=True))
    user.click(page.get_by_role("button", name="Получить адрес календаря"))
    address = page.get_by_label("Адрес календаря").input_value()
    feed = page.request.get(address)  # as the calendar application does: no session needed
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar"), feed.headers
    assert "Приёмы формирующего оценивания" in feed.text().replace("\r\n ", "")  # unfolded (RFC 5545)

    # «Уведомления»: «Вам дано поручение» once a day, in the digest.
    user.click(page.locator(".navbar .dropdown-toggle"))
    user.click(page.get_by_role("link", name="Уведомления", exact=True))
    user.select(page.get_by_label("Когда: Вам дано поручение"), Delivery.DAILY)
    user.click(page.get_by_role("button", name="Сохранить"))
    expect(page.get_by_text("Настройки уведомлений сохранены.")).to_be_visible()
    expect(page.get_by_label("Когда: Вам дано поручение")).to_have_value(Delivery.DAILY)

    assignment.refresh_from_db()
    assert (assignment.status, assignment.done_on) == (Assignment.Status.REVIEW, today)  # the leader accepts it
    assert assignment.report == REPORT
    assert Acknowledgement.objects.filter(teacher=member, acknowledged_on=today).count() == 1
    assert ProtocolReceipt.objects.filter(teacher=member, protocol__meeting=assignment.meeting).count() == 1
    assert Preference.objects.get(user=member.user, kind=ASSIGNMENT_GIVEN).delivery == Delivery.DAILY

    counts = user.report()
    record_counts(
        "member: regulation, assignment report, protocol receipt, calendar, notifications",
        {**counts, "target": f"≤ {MAX_PAGE_LOADS} page loads, ≤ {MAX_KEYSTROKES} keystrokes", "before": BEFORE},
    )
    print(
        f"\nmember journey: {counts['page_loads']} page loads (target ≤ {MAX_PAGE_LOADS}), {counts['keystrokes']} "
        f"keystrokes (target ≤ {MAX_KEYSTROKES}), {counts['clicks']} clicks; before the receipt, the calendar and "
        f"the notifications: {BEFORE}"
    )
    assert counts["page_loads"] <= MAX_PAGE_LOADS, counts
    assert counts["keystrokes"] <= MAX_KEYSTROKES, counts


#: Whether the page fits the screen's width (no sideways scroll).
FITS_WIDTH = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_member_on_a_phone_reads_the_latest_protocol_and_acknowledges_the_regulation(page, member, assignment):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "member")

    # The home: the latest protocol first-hand; the page fits the phone's width.
    latest = page.locator("#latest-protocols")
    expect(latest).to_contain_text("Последний протокол")
    assert page.evaluate(FITS_WIDTH), "the home page scrolls sideways on a phone"
    screenshot(page, "home-member-phone", full_page=True)
    latest.get_by_role("link").first.click()
    expect(page.get_by_text("Приёмы формирующего оценивания").first).to_be_visible()
    assert page.evaluate(FITS_WIDTH), "the protocol scrolls sideways on a phone"

    # The regulation: the text first, «Ознакомлен(а)» after it.
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Главная").click()
    page.locator(".card", has_text="Положения, с которыми нужно ознакомиться").get_by_role("link").first.click()
    text = page.get_by_text("4.2. Заседания ПОС проводятся не реже 4 раз в учебный год.")
    button = page.get_by_role("button", name="Ознакомлен(а)")
    assert text.bounding_box()["y"] < button.bounding_box()["y"]
    button.click()
    expect(page.get_by_text("Вы ознакомлены с положением").first).to_be_visible()
    assert page.evaluate(FITS_WIDTH), "the regulation scrolls sideways on a phone"
