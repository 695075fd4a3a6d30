import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from meetings.models import Protocol
from meetings.services import protocol_create
from pos_portal.academic_year import AcademicYear
from tests.factories import CommunityFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def numbers(community, year):
    return list(
        Protocol.objects.filter(community=community, academic_year=year)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_numbers_run_within_the_academic_year(community, leader):
    for day in (dt.date(2024, 9, 20), dt.date(2024, 11, 20), dt.date(2025, 8, 31), dt.date(2025, 9, 1)):
        protocol_create(meeting=MeetingFactory(community=community, date=day))

    assert numbers(community, AcademicYear(2024)) == [1, 2, 3]
    assert numbers(community, AcademicYear(2025)) == [1]


def test_each_community_has_its_own_sequence(community, leader):
    other = CommunityFactory()
    protocol_create(meeting=MeetingFactory(community=community))
    protocol_create(meeting=MeetingFactory(community=other))

    assert numbers(community, AcademicYear(2024)) == [1]
    assert numbers(other, AcademicYear(2024)) == [1]


def test_protocol_only_for_a_held_meeting(community):
    from meetings.models import Meeting

    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED)

    with pytest.raises(ValidationError) as error:
        protocol_create(meeting=meeting)
    assert error.value.messages == ["Протокол составляется только для проведённого заседания."]


def test_chair_defaults_to_the_leader_on_the_meeting_date(community, leader):
    assert protocol_create(meeting=MeetingFactory(community=community)).chair == leader


def test_deleting_a_draft_that_is_not_the_last_is_refused(community, leader):
    first = protocol_create(meeting=MeetingFactory(community=community))
    protocol_create(meeting=MeetingFactory(community=community))

    with pytest.raises(ValidationError):
        first.delete()
    with pytest.raises(ValidationError):
        Protocol.objects.filter(pk=first.pk).delete()
    assert numbers(community, AcademicYear(2024)) == [1, 2]


def test_deleting_the_last_draft_frees_its_number(community, leader):
    protocol_create(meeting=MeetingFactory(community=community))
    second = protocol_create(meeting=MeetingFactory(community=community))

    second.delete()
    protocol_create(meeting=MeetingFactory(community=community))

    assert numbers(community, AcademicYear(2024)) == [1, 2]


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_leaders_saving_at_once_get_consecutive_numbers(community, leader):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no concurrent writers; this runs in the PostgreSQL pass of CI.")
    meetings = [MeetingFactory(community=community) for _ in range(8)]
    barrier = threading.Barrier(len(meetings))
    errors = []

    def create(meeting):
        try:
            barrier.wait()
            protocol_create(meeting=meeting)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(meeting,)) for meeting in meetings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert numbers(community, AcademicYear(2024)) == list(range(1, len(meetings) + 1))
