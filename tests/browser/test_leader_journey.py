"""The leader's year in a real browser: plan, meeting, attendance, questions with decisions and an assignment,
signature, the protocol's PDF, and the protocol in the community's list."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from communities.models import AnnualPlan
from meetings.models import Assignment, Protocol, ProtocolReceipt
from tests.browser.conftest import (
    held_meeting,
    login,
    recent_day,
    save_link,
    screenshot,
    screenshot_pdf,
    this_year,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plan_months(meeting_month: int) -> list[int]:
    """Four months of sessions, the first being the month of the meeting the journey holds."""
    others = [month for month in (10, 12, 2, 4, 9, 11, 1, 3, 5) if month != meeting_month]
    return [meeting_month, *others[:3]]


def plan_the_year(page, community):
    page.get_by_role("link", name=community.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    screenshot(page, "community-leader")
    page.locator("#plans").get_by_role("link", name="Создать план").click()

    year = this_year()
    expect(page.locator("[name=academic_year]")).to_have_value(year.label)
    page.locator("[name=goals]").fill("Освоить приёмы формирующего оценивания и применить их на уроках.")
    page.locator("[name=tasks]").fill("1. Изучить приёмы.\n2. Провести открытые уроки.\n3. Обобщить опыт.")
    page.get_by_role("button", name="Создать план").click()
    expect(page.get_by_text(f"План на {year} учебный год создан. Добавьте мероприятия.")).to_be_visible()

    # The formset starts with one empty event; the other three are added with the page's button (portal.js).
    months = plan_months(recent_day().month)
    for index, month in enumerate(months):
        if index:
            page.get_by_role("button", name="Добавить мероприятие").click()
        page.locator(f"[name=items-{index}-month]").select_option(str(month))
        page.locator(f"[name=items-{index}-topic]").fill(f"Формирующее оценивание: шаг {index + 1}")
        page.locator(f"[name=items-{index}-form]").select_option("session")
    expect(page.locator("#id_items-TOTAL_FORMS")).to_have_value(str(len(months)))
    page.get_by_role("button", name="Сохранить план").click()
    expect(page.get_by_text("План сохранён.")).to_be_visible()
    expect(page.locator("#sessions-count")).to_contain_text("Заседаний в плане: 4 из минимум 4")
    # The leader never approves: the plan is sent to the ИОЦ once discussed at a meeting (send_the_plan).
    expect(page.get_by_role("button", name="Утвердить")).to_have_count(0)
    expect(page.get_by_text("Черновик", exact=True).first).to_be_visible()


def send_the_plan(page, community, number, day):
    """From the plan's page: «На утверждение», the signed protocol of the meeting that discussed it, sent."""
    page.get_by_role("navigation", name="Навигация по разделам").get_by_role("link", name=community.name).click()
    page.locator("#plans").get_by_role("link", name=f"{this_year()} уч. год", exact=False).first.click()
    page.get_by_role("link", name="На утверждение").click()
    expect(page.get_by_label("Протокол заседания, на котором рассмотрен план")).to_have_value(
        str(Protocol.objects.get(community=community, number=number).pk)
    )
    expect(page.get_by_text(f"Протокол № {number} от {day:%d.%m.%Y}")).to_have_count(1)
    page.get_by_role("button", name="Отправить на утверждение").click()
    expect(page.get_by_text(f"План на {this_year()} учебный год отправлен на утверждение в ИОЦ.")).to_be_visible()
    expect(page.get_by_text("На утверждении", exact=True).first).to_be_visible()


def hold_the_meeting(page, member, colleagues):
    # The plan's event of this month: «Провести заседание» opens the editor with the event's topic.
    event = page.get_by_role("row", name=re.compile("шаг 1"))
    event.get_by_role("link", name="Провести заседание").click()
    expect(page.locator("[name=topic]")).to_have_value("Формирующее оценивание: шаг 1")
    day = recent_day()
    page.locator("[name=date]").fill(day.isoformat())
    page.locator("[name=time]").fill("15:00")
    page.locator("[name=place]").fill("МОУ Лицей № 1, кабинет 12")
    page.locator("[name=status]").select_option("held")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Заседание проведено: создан черновик протокола № 1.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Заседание {day:%d.%m.%Y}")

    # Attendance, on the meeting page, comes pre-filled with the members on that day; one colleague was ill.
    attendance = page.locator("#attendance")
    absent = colleagues[0]
    row = attendance.get_by_role("row", name=re.compile(absent.surname))
    row.get_by_label("присутствовал(а)").uncheck()
    row.get_by_label("Причина отсутствия").fill("болезнь")
    attendance.get_by_role("button", name="Сохранить присутствие").click()
    expect(attendance.get_by_text("Присутствие и список приглашённых сохранены.")).to_be_visible()

    add_question(
        page,
        question="О приёмах формирующего оценивания на уроках математики",
        speaker=member,
        heard="Рассказал о листах самооценки и «светофоре» на уроках в 5–7 классах.",
        decisions=[("Использовать лист самооценки в 5–7 классах.", None)],
        screenshot_name="protocol-editor",
    )
    add_question(
        page,
        question="Об открытых уроках",
        speaker=colleagues[1],
        heard="Предложил график открытых уроков второй четверти.",
        decisions=[
            ("Утвердить график открытых уроков.", None),
            ("Провести открытый урок в 7 классе.", member),
        ],
    )
    return day


def add_question(page, *, question, speaker, heard, decisions, screenshot_name=None):
    """A question written in the meeting page's form of a new question (meetings/editor/question_part.html)."""
    new = page.locator("#new")
    new.locator("[name=new-question]").fill(question)
    new.locator("[name=new-speakers-0-teacher]").select_option(str(speaker.pk))
    new.locator("[name=new-heard]").fill(heard)
    for index, (text, responsible) in enumerate(decisions):
        if index:
            new.get_by_role("button", name="Добавить пункт решения").click()
        new.locator(f"[name=new-decisions-{index}-text]").fill(text)
        if responsible is not None:
            deadline = timezone.localdate() + dt.timedelta(days=30)
            new.locator(f"[name=new-decisions-{index}-responsible]").select_option(str(responsible.pk))
            new.locator(f"[name=new-decisions-{index}-deadline]").fill(deadline.isoformat())
    if screenshot_name:
        screenshot(page, screenshot_name, full_page=True)
    order = page.locator("#questions > section").count() + 1
    new.get_by_role("button", name="Добавить вопрос").click()
    added = page.locator("#questions > section").nth(order - 1)
    expect(added).to_contain_text(f"Вопрос {order} повестки сохранён.")
    expect(added).to_contain_text(question)


def test_leader_plans_holds_signs_and_downloads(page, confirmations, community, leader, member, math_team, tmp_path):
    login(page, "leader")
    expect(page.get_by_role("heading", level=1)).to_have_text("Здравствуйте, Ольга Викторовна!")
    screenshot(page, "home-leader")

    plan_the_year(page, community)
    day = hold_the_meeting(page, member, math_team)

    # The draft: «ПРОЕКТ» until signed; the detail page shows both questions and the assignment.
    expect(page.get_by_text("Провести открытый урок в 7 классе.").first).to_be_visible()
    screenshot(page, "meeting-draft", full_page=True)

    page.get_by_role("link", name="Подписать").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Подписать протокол № 1")
    page.get_by_role("button", name="Подписать протокол").click()
    expect(page.get_by_text("Протокол № 1 подписан.")).to_be_visible()
    assert confirmations == ["Подписать протокол № 1? После подписи он не изменяется."]
    # Signed: the editing buttons are gone.
    expect(page.get_by_role("link", name="Добавить вопрос")).to_have_count(0)
    # Who has read it: the five other members, none yet; once the member pressed «Ознакомлен(а) с протоколом»
    # (his own page, tests/browser/test_member_journey.py), one of five, and the four others by name.
    expect(page.locator("#receipt-count")).to_have_text("Ознакомлены: 0 из 5 участников.")
    ProtocolReceipt.record(Protocol.objects.get(community=community), member)
    page.reload()
    expect(page.locator("#receipt-count")).to_have_text("Ознакомлены: 1 из 5 участников.")
    page.locator("#receipt summary").click()
    waiting = page.locator("#receipt details li")
    expect(waiting).to_have_text([colleague.full_name for colleague in sorted(math_team, key=lambda t: t.surname)])

    name, pdf = save_link(page, page.get_by_role("link", name="Скачать PDF"))
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    # ГОСТ Р 7.0.97 layout: the title, then the date on the left and the number on the right of one line.
    assert f"ПРОТОКОЛ {day:%d.%m.%Y} № 1 " in text, text[:300]
    assert "О приёмах формирующего оценивания на уроках математики" in text
    assert "Провести открытый урок в 7 классе." in text
    assert "ПРОЕКТ" not in text
    screenshot_pdf(pdf, "protocol-pdf", tmp_path)

    # The protocol in the community's list, signed.
    page.get_by_role("navigation", name="Навигация по разделам").get_by_role("link", name=community.name).click()
    row = page.locator("#protocols").get_by_role("row", name=re.compile("Формирующее оценивание: шаг 1"))
    expect(row).to_contain_text("1")
    expect(row).to_contain_text(f"{day:%d.%m.%Y}")
    expect(row).to_contain_text("подписан")

    protocol = Protocol.objects.get(community=community)
    assert (protocol.number, protocol.signed_by, protocol.meeting.date) == (1, leader, day)
    send_the_plan(page, community, 1, day)
    assert AnnualPlan.objects.get(community=community).status == AnnualPlan.Status.SUBMITTED
    assignment = Assignment.objects.get()
    assert (assignment.responsible, assignment.text) == (member, "Провести открытый урок в 7 классе.")
    assert protocol.meeting.attendance.get(teacher=math_team[0]).present is False


def test_attendance_on_a_phone_shows_the_reason_of_an_absence_whole(page, community, leader, member, math_team):
    protocol = held_meeting(
        community, leader, [leader, member, *math_team], day=recent_day(), topic="Присутствие с телефона", sign=False
    )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "leader")

    page.goto(f"/meetings/{protocol.meeting_id}/")

    reason = page.get_by_label("Причина отсутствия").first
    box = reason.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # not cut off by the screen's edge
    reason.fill("курсы повышения квалификации")
