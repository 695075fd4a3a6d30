"""Once signed, a protocol and everything it records cannot change by any path."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from meetings.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Guest,
    Meeting,
    Protocol,
    SignedProtocolError,
    Speaker,
)
from tests.factories import AgendaItemFactory, AssignmentFactory, DecisionFactory, GuestFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    """Run SQL as another client would, bypassing Django's models."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def frozen_rows(protocol):
    meeting = protocol.meeting
    agenda_item = meeting.agenda.get()
    return {
        "protocol": protocol,
        "meeting": meeting,
        "attendance": meeting.attendance.first(),
        "agenda_item": agenda_item,
        "decision": agenda_item.decisions.get(),
        "speaker": agenda_item.speakers.get(),
    }


@pytest.mark.parametrize("name", ["protocol", "meeting", "attendance", "agenda_item", "decision", "speaker"])
def test_model_save_and_delete_are_refused(signed_protocol, name):
    row = frozen_rows(signed_protocol)[name]

    with pytest.raises(SignedProtocolError):
        row.save()
    with pytest.raises(SignedProtocolError):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("model", "changes"),
    [
        (Protocol, {"number": 99}),
        (Meeting, {"topic": "Подменённая тема"}),
        (Attendance, {"present": False}),
        (AgendaItem, {"question": "Подменённый вопрос"}),
        (Decision, {"text": "Подменённое решение"}),
        (Speaker, {"text": "Подменённое выступление"}),
    ],
)
def test_queryset_update_and_delete_are_refused(signed_protocol, model, changes):
    rows = model.objects.all()
    before = list(rows.values())

    with pytest.raises(SignedProtocolError):
        rows.update(**changes)
    with pytest.raises(SignedProtocolError):
        rows.delete()
    assert list(model.objects.values()) == before


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meetings_protocol SET number = 99",
        "DELETE FROM meetings_protocol",
        "UPDATE meetings_protocol SET signed_at = NULL, signed_by_id = NULL",
        "UPDATE meetings_meeting SET topic = 'x'",
        "DELETE FROM meetings_meeting",
        "UPDATE meetings_attendance SET present = FALSE",
        "DELETE FROM meetings_attendance",
        "UPDATE meetings_agendaitem SET question = 'x'",
        "DELETE FROM meetings_agendaitem",
        "UPDATE meetings_decision SET text = 'x'",
        "DELETE FROM meetings_decision",
        "UPDATE meetings_speaker SET text = 'x'",
        "UPDATE meetings_speaker SET teacher_id = NULL, full_name = 'Подменённый Докладчик'",
        "DELETE FROM meetings_speaker",
    ],
)
def test_the_database_refuses_raw_sql(signed_protocol, sql):
    with pytest.raises(IntegrityError):
        raw(sql)
    signed_protocol.refresh_from_db()
    assert signed_protocol.is_signed
    assert signed_protocol.number == 1


def test_nothing_can_be_added_to_a_signed_protocol(signed_protocol, outsider):
    meeting = signed_protocol.meeting

    with pytest.raises(SignedProtocolError):
        AgendaItemFactory(meeting=meeting, order=5)
    with pytest.raises(SignedProtocolError):
        DecisionFactory(agenda_item=meeting.agenda.get(), order=7)
    with pytest.raises(SignedProtocolError):
        GuestFactory(meeting=meeting)
    with pytest.raises(SignedProtocolError):
        SpeakerFactory(agenda_item=meeting.agenda.get(), order=2, teacher=None, full_name="Подставной Докладчик")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.bulk_create([Speaker(agenda_item=meeting.agenda.get(), order=3, full_name="Гость")])
    assert meeting.agenda.get().speakers.count() == 1
    with pytest.raises(IntegrityError):
        raw(
            "INSERT INTO meetings_attendance (meeting_id, teacher_id, present, absence_reason) VALUES (%s, %s, %s, '')",
            (meeting.pk, outsider.pk, True),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Guest.objects.bulk_create([Guest(meeting=meeting, full_name="Гость")])
    assert meeting.guests.count() == 0


def test_assignment_report_stays_editable_after_signing(draft_protocol, leader, member):
    from meetings.services import protocol_sign

    assignment = AssignmentFactory(decision=Decision.objects.get(), responsible=member)
    protocol_sign(protocol=draft_protocol, user=leader.user)
    assignment.refresh_from_db()

    assignment.status = Assignment.Status.DONE
    assignment.done_on = dt.date(2024, 11, 20)
    assignment.report = "Открытый урок проведён."
    assignment.save()
    Assignment.objects.filter(pk=assignment.pk).update(report="Открытый урок проведён 20.11.")
    raw("UPDATE meetings_assignment SET report = 'Проведён' WHERE id = %s", (assignment.pk,))

    assignment.refresh_from_db()
    assert (assignment.status, assignment.report) == (Assignment.Status.DONE, "Проведён")
    # The report's file, the leader's comment and a deadline moved with a reason (``DeadlineChange``) too.
    Assignment.objects.filter(pk=assignment.pk).update(
        return_comment="Нет конспекта", report_file_name="otchet.pdf", deadline=dt.date(2025, 1, 31)
    )
    assignment.refresh_from_db()
    assert (assignment.return_comment, assignment.deadline) == ("Нет конспекта", dt.date(2025, 1, 31))


def test_assignment_text_is_frozen_after_signing(draft_protocol, leader, member):
    from meetings.services import protocol_sign

    assignment = AssignmentFactory(decision=Decision.objects.get(), responsible=member, text="Подготовить урок")
    protocol_sign(protocol=draft_protocol, user=leader.user)
    assignment.refresh_from_db()

    assignment.text = "Ничего не делать"
    with pytest.raises(SignedProtocolError):
        assignment.save()
    with pytest.raises(SignedProtocolError):
        Assignment.objects.update(text="Ничего")
    with pytest.raises(SignedProtocolError):
        assignment.delete()
    with pytest.raises(IntegrityError):
        raw("UPDATE meetings_assignment SET text = 'x'")
    with pytest.raises(IntegrityError):
        raw("DELETE FROM meetings_assignment")
    assert Assignment.objects.get().text == "Подготовить урок"


def test_a_draft_protocol_is_still_editable(draft_protocol):
    meeting = draft_protocol.meeting
    meeting.topic = "Уточнённая тема"
    meeting.save()
    Decision.objects.update(text="Уточнённое решение")
    raw("UPDATE meetings_agendaitem SET heard = 'Уточнённый доклад'")
    raw("UPDATE meetings_speaker SET text = ''")
    SpeakerFactory(agenda_item=meeting.agenda.get(), order=2, teacher=None, full_name="Орлова Наталья Викторовна")
    AgendaItemFactory(meeting=meeting, order=2)

    assert meeting.agenda.count() == 2
    assert Decision.objects.get().text == "Уточнённое решение"


def test_a_correction_is_a_new_record_and_is_itself_frozen(signed_protocol, leader):
    from meetings.services import protocol_correct

    correction = protocol_correct(
        protocol=signed_protocol, author=leader, text="В п. 1.1 читать «до 01.12.2024».", reason="Опечатка"
    )

    assert list(signed_protocol.corrections.all()) == [correction]
    with pytest.raises(SignedProtocolError):
        correction.save()
    with pytest.raises(IntegrityError):
        raw("DELETE FROM meetings_protocolcorrection")
