import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from meetings.models import Protocol
from meetings.models.protocols import protocol_number_forecast
from meetings.services import meeting_update, protocol_create, protocol_sign
from pos_portal.academic_year import AcademicYear
from tests.browser_forms import form_fields, login, text
from tests.conftest import build_protocol
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


# --- Numbers follow dates (issue 11, item 8) ----------------------------------------------------------------------


def by_date(community, year):
    """(№, meeting date, still a draft) of the year's protocols, by number."""
    rows = Protocol.objects.filter(community=community, academic_year=year).order_by("number")
    return [
        (number, day, signed_at is None)
        for number, day, signed_at in rows.values_list("number", "meeting__date", "signed_at")
    ]


def test_a_meeting_entered_late_takes_its_place_by_date(community, leader):
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2025, 5, 20)))
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2025, 3, 10)))

    assert by_date(community, AcademicYear(2024)) == [
        (1, dt.date(2025, 3, 10), True),
        (2, dt.date(2025, 5, 20), True),
    ]


def test_a_signed_number_never_changes_and_an_earlier_draft_comes_after_it(community, leader, member):
    may = build_protocol(community, leader, [leader, member], date=dt.date(2025, 5, 20))
    protocol_sign(protocol=may, user=leader.user)

    march = protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2025, 3, 10)))
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2025, 2, 1)))

    march.refresh_from_db()
    assert march.number == 3
    assert by_date(community, AcademicYear(2024)) == [
        (1, dt.date(2025, 5, 20), False),
        (2, dt.date(2025, 2, 1), True),
        (3, dt.date(2025, 3, 10), True),
    ]


def test_drafts_fill_the_numbers_around_signed_ones(community, leader, member):
    october = protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 10, 1)))
    november = build_protocol(community, leader, [leader, member], date=dt.date(2024, 11, 5))
    protocol_sign(protocol=november, user=leader.user)  # № 2, signed while October (№ 1) is a draft

    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 9, 20)))

    october.refresh_from_db()
    assert by_date(community, AcademicYear(2024)) == [
        (1, dt.date(2024, 9, 20), True),
        (2, dt.date(2024, 11, 5), False),
        (3, dt.date(2024, 10, 1), True),
    ]
    assert october.number == 3


def test_changing_a_meetings_date_renumbers_the_drafts(community, leader):
    first = protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 10, 1)))
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 11, 1)))
    meeting = first.meeting
    meeting.date = dt.date(2024, 12, 1)

    meeting_update(meeting=meeting, expected_version=meeting.version, protocol=first)

    assert by_date(community, AcademicYear(2024)) == [
        (1, dt.date(2024, 11, 1), True),
        (2, dt.date(2024, 12, 1), True),
    ]


def test_a_date_change_in_the_admin_renumbers_too(admin_client, community, leader):
    first = protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 10, 1)))
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2024, 11, 1)))
    url = reverse("admin:meetings_meeting_change", args=[first.meeting_id])
    data = form_fields(admin_client.get(url), containing="topic")
    data["date"] = "01.12.2024"

    assert admin_client.post(url, data).status_code == 302

    first.refresh_from_db()
    assert first.number == 2


def test_the_forecast_says_which_number_a_meeting_before_a_signed_one_gets(community, leader, member):
    protocol_sign(
        protocol=build_protocol(community, leader, [leader, member], date=dt.date(2025, 5, 20)), user=leader.user
    )
    protocol_create(meeting=MeetingFactory(community=community, date=dt.date(2025, 4, 1)))

    before = protocol_number_forecast(community.pk, dt.date(2025, 3, 10))
    after = protocol_number_forecast(community.pk, dt.date(2025, 6, 1))

    assert (before.number, before.signed_later) == (2, 1)
    assert before.warning == (
        "Протокол № 1 более позднего заседания уже подписан, а номера подписанных протоколов не меняются: "
        "протокол этого заседания получит № 2."
    )
    assert (after.number, after.warning) == (3, "")


def test_the_meeting_form_warns_of_the_number_before_saving(client, community, leader, member):
    protocol_sign(
        protocol=build_protocol(community, leader, [leader, member], date=dt.date(2025, 5, 20)), user=leader.user
    )
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    data = {**form_fields(client.get(url)), "date": "2025-03-10", "topic": "Мартовское заседание", "status": "held"}

    warned = client.post(url, data)

    assert warned.status_code == 200
    assert "протокол этого заседания получит № 2" in text(warned)
    assert not Protocol.objects.filter(meeting__topic="Мартовское заседание").exists()
    again = form_fields(warned, containing="topic")
    assert (again["topic"], again["confirm_number"]) == ("Мартовское заседание", "2")

    assert client.post(url, again).status_code == 302
    assert Protocol.objects.get(meeting__topic="Мартовское заседание").number == 2
