"""A whole year of a community through the portal's pages, as its people would do it.

The leader plans the year, creates a meeting, enters attendance, questions, decisions and an
assignment, signs, and can no longer change anything; sends the plan with that protocol and a methodist approves
it; the member then reports the assignment done and the leader accepts the report.
Every form is read from the page and sent back as a browser would send it.
"""

import datetime as dt

import pytest
from django.urls import reverse

from communities.models import AnnualPlan
from meetings.models import Assignment, Meeting, Protocol
from tests.browser_forms import form_fields, login, text

pytestmark = pytest.mark.django_db

YEAR = "2024/2025"
MEETING_DAY = dt.date(2024, 10, 15)


def follow_post(client, url, data):
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, text(response)[:2000]
    return response


def plan_the_year(client, community):
    page = client.get(reverse("communities:plan_create", args=[community.pk]))
    data = form_fields(page)
    data.update(academic_year=YEAR, theme="Формирующее оценивание", goals="Освоить приёмы", tasks="1. …")
    response = follow_post(client, reverse("communities:plan_create", args=[community.pk]), data)
    plan = AnnualPlan.objects.get(community=community)
    assert response.request["PATH_INFO"] == reverse("communities:plan_edit", args=[plan.pk])

    data = form_fields(response)
    months = [10, 12, 2, 4]
    data["items-TOTAL_FORMS"] = str(len(months))
    for index, month in enumerate(months):
        data.update(
            {
                f"items-{index}-month": str(month),
                f"items-{index}-topic": f"Заседание {index + 1}",
                f"items-{index}-form": "session",
            }
        )
    follow_post(client, reverse("communities:plan_edit", args=[plan.pk]), data)
    assert plan.items.count() == 4
    assert plan.status == AnnualPlan.Status.DRAFT  # sent for approval once discussed at a meeting
    return plan


def send_and_approve_the_plan(client, plan, protocol, leader, methodist):
    """The leader sends the plan with the protocol of the meeting that discussed it; a methodist approves it."""
    submit_url = reverse("meetings:plan_submit", args=[plan.pk])
    data = form_fields(client.get(submit_url))
    assert data["protocol"] == str(protocol.pk)  # the only signed protocol, offered first
    response = follow_post(client, submit_url, data)
    assert "План на 2024/2025 учебный год отправлен на утверждение в ИОЦ." in text(response)
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED

    client.logout()
    client.force_login(methodist)
    review_url = reverse("communities:plan_review", args=[plan.pk])
    response = follow_post(client, review_url, {"action": "approve", "comment": ""})
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (AnnualPlan.Status.APPROVED, methodist), text(response)[:1500]
    client.logout()
    login(client, leader)


def hold_the_meeting(client, community, plan, member):
    item = plan.items.get(month=10)
    create_url = reverse("meetings:create", args=[community.pk])
    data = form_fields(client.get(f"{create_url}?plan_item={item.pk}"))
    assert data["topic"] == "Заседание 1"
    data.update(date=MEETING_DAY.isoformat(), place="МОУ СШ № 3, каб. 12", status=Meeting.Status.HELD)
    follow_post(client, create_url, data)
    meeting = Meeting.objects.get(community=community)
    assert (meeting.plan_item, meeting.protocol.number) == (item, 1)

    attendance_url = reverse("meetings:attendance", args=[meeting.pk])
    data = form_fields(client.get(attendance_url))
    follow_post(client, attendance_url, data)  # everybody present, as pre-filled
    assert meeting.attendance.filter(present=True).count() == 2

    agenda_url = reverse("meetings:agenda_add", args=[meeting.pk])
    data = form_fields(client.get(agenda_url))
    data.update(
        {
            "question": "Об открытых уроках",
            "speakers-0-teacher": str(member.pk),
            "heard": "Кузнецов И.П. рассказал о приёмах формирующего оценивания.",
            "decisions-0-text": "Провести открытый урок в 7 классе.",
            "decisions-0-responsible": str(member.pk),
            "decisions-0-deadline": "2024-12-20",
        }
    )
    follow_post(client, agenda_url, data)
    return meeting


def test_a_year_of_a_community(client, community, leader, member, methodist):
    login(client, leader)
    plan = plan_the_year(client, community)
    meeting = hold_the_meeting(client, community, plan, member)

    sign_url = reverse("meetings:sign", args=[meeting.pk])
    confirmation = client.get(sign_url)
    assert "Подписать" in text(confirmation)
    response = follow_post(client, sign_url, form_fields(confirmation))
    protocol = Protocol.objects.get(meeting=meeting)
    assert protocol.is_signed, text(response)[:1500]
    assert protocol.signed_by == leader
    assert "Протокол № 1 подписан." in text(response)
    send_and_approve_the_plan(client, plan, protocol, leader, methodist)

    # Signed: every editor is closed, and nothing changed by trying.
    before = (meeting.topic, list(meeting.agenda.values_list("question", flat=True)))
    for name in ("meetings:edit", "meetings:attendance", "meetings:agenda_add"):
        assert client.get(reverse(name, args=[meeting.pk])).status_code == 403
    item = meeting.agenda.get()
    assert client.post(reverse("meetings:agenda_delete", args=[item.pk])).status_code == 403
    assert client.post(reverse("meetings:edit", args=[meeting.pk]), {"topic": "Подмена"}).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.topic, list(meeting.agenda.values_list("question", flat=True))) == before

    # The member reports the assignment done.
    client.logout()
    login(client, member)
    assignment = Assignment.objects.get()
    home = client.get(reverse("home"))
    assert "Провести открытый урок в 7 классе." in text(home)
    report_url = reverse("meetings:assignment_report", args=[assignment.pk])
    data = form_fields(client.get(report_url))
    data.update(done_on="2024-12-18", report="Урок проведён, конспект в материалах ПОС.")
    follow_post(client, report_url, data)

    assignment.refresh_from_db()
    assert (assignment.status, assignment.done_on, assignment.report) == (
        Assignment.Status.REVIEW,
        dt.date(2024, 12, 18),
        "Урок проведён, конспект в материалах ПОС.",
    )

    # The leader accepts the report: the assignment is done.
    client.logout()
    login(client, leader)
    assert "Принять отчёт" in text(client.get(report_url))
    follow_post(client, reverse("meetings:assignment_accept", args=[assignment.pk]), {})
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Провести открытый урок в 7 классе." in text(page)
