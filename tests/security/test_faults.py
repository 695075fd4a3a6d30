"""The database connection dropped in the middle of saving a protocol leaves no half-saved protocol.

Saving goes through one transaction (meetings.services): the meeting, its protocol with its number, the attendance
and their audit trail are written together or not at all. Simulated on every database (the connection "drops"
after the protocol's row is written), and for real on PostgreSQL: another connection kills the saving one with
pg_terminate_backend right after the protocol's row is inserted.
"""

import datetime as dt

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.db.utils import Error as DatabaseError

from meetings.models import AgendaItem, Attendance, Decision, Meeting, Protocol
from meetings.services import DecisionChange, agenda_item_save, meeting_create, protocol_create
from meetings.services import meetings as services
from tests.conftest import build_protocol
from tests.factories import PAST_MEETING_DATE

TOPIC = "Заседание, которое не сохранилось"


def dropped(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def new_held_meeting(community):
    return Meeting(community=community, date=PAST_MEETING_DATE, topic=TOPIC, status=Meeting.Status.HELD)


def nothing_of_it_remains(community):
    meetings = Meeting.objects.filter(topic=TOPIC)
    assert not meetings.exists()
    assert not Protocol.objects.filter(community=community).exists()
    assert not Attendance.objects.filter(meeting__topic=TOPIC).exists()
    assert not Meeting.history.filter(topic=TOPIC).exists()
    assert not Protocol.history.filter(community_id=community.pk).exists()


@pytest.mark.django_db
def test_a_drop_after_the_protocol_row_leaves_nothing(community, leader, member, monkeypatch):
    written = []
    original = protocol_create

    def create_then_drop(**kwargs):
        written.append(original(**kwargs))  # the protocol's row is in the database...
        assert Protocol.objects.filter(pk=written[0].pk).exists()
        dropped()  # ...when the connection goes

    monkeypatch.setattr(services, "protocol_create", create_then_drop)

    with pytest.raises(OperationalError):
        meeting_create(meeting=new_held_meeting(community))

    assert written
    nothing_of_it_remains(community)


@pytest.mark.django_db
def test_a_drop_in_the_middle_of_saving_a_question_keeps_the_question_as_it_was(community, leader, member, monkeypatch):
    protocol = build_protocol(community, leader, [leader, member])
    meeting = protocol.meeting
    item = meeting.agenda.get()
    before = (item.question, list(item.decisions.values_list("text", flat=True)), meeting.version)
    monkeypatch.setattr(services, "_assignment_sync", dropped)
    item.question = "Новый вопрос"
    change = DecisionChange(decision=Decision(text="Новое решение"), responsible=member, deadline=dt.date(2024, 12, 1))

    with pytest.raises(OperationalError):
        agenda_item_save(item=item, decisions=[change], expected_version=meeting.version)

    item = AgendaItem.objects.get(pk=item.pk)
    meeting.refresh_from_db()
    assert (item.question, list(item.decisions.values_list("text", flat=True)), meeting.version) == before
    assert not Decision.objects.filter(text="Новое решение").exists()
    assert not Decision.history.filter(text="Новое решение").exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_killed_connection_leaves_no_half_saved_protocol(community, leader, member, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no concurrent writers; this runs in the PostgreSQL pass of CI.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    original = protocol_create
    killed = []

    def create_then_kill(**kwargs):
        protocol = original(**kwargs)
        killer = psycopg2.connect(**connection.get_connection_params())
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                killed.append(cursor.fetchone()[0])
        finally:
            killer.close()
        return protocol

    monkeypatch.setattr(services, "protocol_create", create_then_kill)

    with pytest.raises(DatabaseError):
        meeting_create(meeting=new_held_meeting(community))

    assert killed == [True]
    connection.close()  # the next query opens a new connection
    nothing_of_it_remains(community)
    # The database works on: the same meeting saves in full.
    monkeypatch.setattr(services, "protocol_create", original)
    meeting = meeting_create(meeting=new_held_meeting(community))
    assert Protocol.objects.get(meeting=meeting).number == 1
