"""A meeting created, moved or cancelled in the admin is told to the members exactly as one saved in the portal."""

import datetime as dt

from django.core import mail

from meetings.models import Meeting, Protocol
from meetings.services import meeting_create
from notifications.models import Outbox
from tests.communities.test_admin import admin_url
from tests.notifications.conftest import letters_to
from tests.notifications.test_kinds import MEMBER, invitation, upcoming


def change_data(meeting, **fields):
    data = {
        "community": meeting.community_id,
        "form": meeting.form,
        "topic": meeting.topic,
        "date": f"{meeting.date:%d.%m.%Y}",
        "time": f"{meeting.time:%H:%M}" if meeting.time else "",
        "place": meeting.place,
        "online_link": meeting.online_link,
        "status": meeting.status,
        "cancel_reason": meeting.cancel_reason,
        "edited_version": meeting.version,  # the version the change form was opened on
    }
    for prefix in ("attendance", "guests", "agenda"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | fields


def planned(community, leader):
    meeting = meeting_create(meeting=upcoming(community), by=leader.user)  # not committed: no letter
    mail.outbox.clear()
    return meeting


def test_a_move_in_the_admin_sends_the_moved_letter_with_its_ics_once(
    admin_client, community, leader, member, with_addresses, committed
):
    meeting = planned(community, leader)

    with committed():
        response = admin_client.post(admin_url(Meeting, "change", meeting.pk), change_data(meeting, time="16:00"))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.time, meeting.version) == (dt.time(16, 0), 2)  # one step of the version, as in the portal
    [moved] = letters_to(mail.outbox, MEMBER)
    assert moved.subject.startswith("Заседание перенесено: ") and "в 16:00" in moved.subject
    cal, mimetype = invitation(moved)
    assert cal["METHOD"] == "REQUEST" and "method=REQUEST" in mimetype
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@pos-portal"
    assert event.decoded("DTSTART").time() == dt.time(16, 0)
    assert Outbox.objects.filter(kind="meeting_moved").count() == 2  # the member and the leader: the admin is neither


def test_a_new_topic_in_the_admin_moves_nothing(admin_client, community, leader, member, with_addresses, committed):
    meeting = planned(community, leader)

    with committed():
        admin_client.post(admin_url(Meeting, "change", meeting.pk), change_data(meeting, topic="Другая тема"))

    assert Meeting.objects.get(pk=meeting.pk).topic == "Другая тема"
    assert mail.outbox == []


def test_a_cancellation_in_the_admin_sends_the_cancel(
    admin_client, community, leader, member, with_addresses, committed
):
    meeting = planned(community, leader)
    data = change_data(meeting, status=Meeting.Status.CANCELLED, cancel_reason="Карантин")

    with committed():
        admin_client.post(admin_url(Meeting, "change", meeting.pk), data)

    [cancelled] = letters_to(mail.outbox, MEMBER)
    assert "Причина: Карантин" in cancelled.body
    assert invitation(cancelled)[0]["METHOD"] == "CANCEL"


def test_a_meeting_added_in_the_admin_is_announced(admin_client, community, leader, member, with_addresses, committed):
    meeting = upcoming(community)
    data = change_data(meeting)
    del data["edited_version"]
    for prefix in ("attendance",):
        del data[f"{prefix}-TOTAL_FORMS"], data[f"{prefix}-INITIAL_FORMS"]

    with committed():
        response = admin_client.post(admin_url(Meeting, "add"), data)

    assert response.status_code == 302
    [letter] = letters_to(mail.outbox, MEMBER)
    assert letter.subject.startswith("Заседание назначено: ")


def test_a_meeting_made_held_in_the_admin_gets_its_protocol_and_keeps_typed_attendance(
    admin_client, community, leader, member
):
    meeting = Meeting.objects.create(
        community=community, date=dt.date(2024, 10, 15), topic="Тема", status=Meeting.Status.PLANNED
    )
    data = change_data(meeting, status=Meeting.Status.HELD) | {
        "attendance-TOTAL_FORMS": 1,
        "attendance-0-teacher": member.pk,
        "attendance-0-absence_reason": "Болезнь",
    }

    response = admin_client.post(admin_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 302
    assert Protocol.objects.filter(meeting=meeting).exists()  # as when a meeting is made held in the portal
    rows = dict(meeting.attendance.values_list("teacher_id", "present"))
    assert rows == {leader.pk: True, member.pk: False}  # the typed row replaced the pre-filled one
