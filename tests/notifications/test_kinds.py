"""Meetings scheduled, moved, cancelled (with the .ics); a report returned; a plan and an annual report reviewed."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from communities.signals import plan_reviewed
from meetings.models import Meeting
from meetings.services import meeting_create, meeting_update, protocol_sign
from meetings.services.assignments import assignment_report, assignment_return
from notifications.models import Outbox
from reports.models import AnnualReport
from reports.signals import annual_report_reviewed
from tests.factories import AnnualPlanFactory, AssignmentFactory
from tests.notifications.conftest import letters_to

MEMBER = "kuznetsov@example.org"
LEADER = "smirnova@example.org"


def upcoming(community, days=10, **fields):
    return Meeting(
        community=community,
        date=timezone.localdate() + dt.timedelta(days=days),
        time=dt.time(15, 30),
        topic="Формирующее оценивание",
        place="МОУ СШ № 3, каб. 21",
        status=Meeting.Status.PLANNED,
        **fields,
    )


def invitation(letter):
    [(name, content, mimetype)] = letter.attachments
    assert name == "meeting.ics"
    return Calendar.from_ical(content), mimetype


def test_a_scheduled_meeting_invites_the_members_but_not_its_author(
    community, leader, member, with_addresses, committed
):
    with committed():
        meeting = meeting_create(meeting=upcoming(community), by=leader.user)

    assert letters_to(mail.outbox, LEADER) == []
    [letter] = letters_to(mail.outbox, MEMBER)
    day = f"{meeting.date:%d.%m.%Y}"
    assert letter.subject == f"Заседание назначено: {day} в 15:30 — «ПОС учителей математики»"
    assert "Место: МОУ СШ № 3, каб. 21." in letter.body
    cal, mimetype = invitation(letter)
    assert "method=REQUEST" in mimetype
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@pos-portal"
    assert event.decoded("DTSTART") == dt.datetime.combine(
        meeting.date, dt.time(15, 30), tzinfo=event.decoded("DTSTART").tzinfo
    )
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Moscow"


def test_a_meeting_entered_after_the_fact_is_not_announced(community, leader, member, with_addresses, committed):
    with committed():
        meeting_create(meeting=upcoming(community, days=-3), by=leader.user)

    assert mail.outbox == []


def test_a_move_and_a_cancellation_update_the_same_calendar_entry(community, leader, member, with_addresses, committed):
    with committed():
        meeting = meeting_create(meeting=upcoming(community), by=leader.user)
    mail.outbox.clear()

    meeting.time = dt.time(16, 0)
    with committed():
        meeting = meeting_update(meeting=meeting, expected_version=meeting.version, by=leader.user)
    [moved] = letters_to(mail.outbox, MEMBER)
    assert moved.subject.startswith("Заседание перенесено: ") and "в 16:00" in moved.subject
    moved_cal, _ = invitation(moved)

    meeting.topic = "Формирующее оценивание (уточнено)"
    with committed():
        meeting = meeting_update(meeting=meeting, expected_version=meeting.version, by=leader.user)
    assert len(mail.outbox) == 1  # a new topic moves nothing: nobody is written to

    meeting.status, meeting.cancel_reason = Meeting.Status.CANCELLED, "Карантин"
    with committed():
        meeting_update(meeting=meeting, expected_version=meeting.version, by=leader.user)
    cancelled = mail.outbox[-1]
    assert cancelled.subject.startswith("Отменено: заседание ")
    assert "Причина: Карантин" in cancelled.body
    cancel_cal, mimetype = invitation(cancelled)
    assert cancel_cal["METHOD"] == "CANCEL" and "method=CANCEL" in mimetype
    [moved_event], [cancel_event] = moved_cal.walk("VEVENT"), cancel_cal.walk("VEVENT")
    assert cancel_event["UID"] == moved_event["UID"]
    assert cancel_event["STATUS"] == "CANCELLED"
    assert cancel_event["SEQUENCE"] > moved_event["SEQUENCE"]


def test_a_returned_report_tells_the_responsible_with_the_comment(
    draft_protocol, leader, member, with_addresses, committed
):
    assignment = AssignmentFactory(decision=draft_protocol.meeting.agenda.get().decisions.get(), responsible=member)
    protocol_sign(protocol=draft_protocol, user=leader.user)  # not committed: no letters of the signing
    assignment_report(assignment=assignment, user=member.user, done_on=dt.date(2024, 11, 20), report="Урок дан.")

    with committed():
        assignment_return(assignment=assignment, user=leader.user, comment="Приложите конспект урока.")

    [letter] = letters_to(mail.outbox, MEMBER)
    assert letter.subject == "Отчёт о поручении возвращён — «ПОС учителей математики»"
    assert "Замечание руководителя: Приложите конспект урока." in letter.body


@pytest.mark.parametrize(
    ("approved", "subject"),
    [(True, "План работы на 2024/2025 уч. год утверждён"), (False, "План работы на 2024/2025 уч. год возвращён")],
)
def test_a_reviewed_plan_tells_the_leader(
    community, leader, member, methodist, with_addresses, committed, approved, subject
):
    plan = AnnualPlanFactory(community=community)

    with committed():
        plan_reviewed.send(sender=type(plan), plan=plan, approved=approved, by=methodist, comment="Добавьте сроки.")

    [letter] = letters_to(mail.outbox, LEADER)
    assert letter.subject == f"{subject} — «ПОС учителей математики»"
    assert "Комментарий: Добавьте сроки." in letter.body
    assert f"http://127.0.0.1:8000/plans/{plan.pk}/" in letter.body
    assert letters_to(mail.outbox, MEMBER) == []


@pytest.mark.parametrize(("accepted", "verb"), [(True, "принят"), (False, "возвращён на доработку")])
def test_a_reviewed_annual_report_tells_the_leader(
    community, leader, member, methodist, with_addresses, committed, accepted, verb
):
    report = AnnualReport.objects.create(
        community=community, academic_year=2024, results="Итоги.", reviewed_at=timezone.now()
    )

    with committed():
        annual_report_reviewed.send(
            sender=AnnualReport, report=report, accepted=accepted, by=methodist, comment="Уточните итоги."
        )
        annual_report_reviewed.send(  # the same review (its moment) twice: one letter
            sender=AnnualReport, report=report, accepted=accepted, by=methodist, comment="Уточните итоги."
        )

    [letter] = letters_to(mail.outbox, LEADER)
    assert letter.subject == f"Отчёт за 2024/2025 уч. год {verb} — «ПОС учителей математики»"
    assert "Комментарий: Уточните итоги." in letter.body
    assert Outbox.objects.get().status == Outbox.Status.SENT
