"""Optimistic locking of the protocol editor: two people editing one draft cannot silently overwrite each
other. The second save, based on the version both opened, is refused with 409 and the conflict message, the page
keeps what the second person typed, and the database keeps the first person's save."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from meetings.models import AgendaItem, Meeting
from meetings.services import EDIT_CONFLICT_MESSAGE, MeetingVersionConflict, meeting_bump_version, meeting_update
from tests.browser_forms import form_fields, text
from tests.factories import DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

CONFLICT = 409


@pytest.fixture
def two_editors(leader, admin_user):
    """Two people who manage the community: its leader and the Department, each in their own browser."""
    first, second = Client(), Client()
    first.force_login(leader.user)
    second.force_login(admin_user)
    return first, second


def edit_url(meeting):
    return reverse("meetings:edit", kwargs={"meeting_pk": meeting.pk})


def assert_conflict(response, typed: str):
    assert response.status_code == CONFLICT
    page = text(response)
    assert EDIT_CONFLICT_MESSAGE in page
    assert typed in page


def test_second_save_of_the_meeting_editor_is_refused(two_editors, draft_protocol):
    meeting = draft_protocol.meeting
    first, second = two_editors
    first_form = form_fields(first.get(edit_url(meeting)))
    second_form = form_fields(second.get(edit_url(meeting)))
    assert first_form["version"] == second_form["version"] == "1"

    saved = first.post(edit_url(meeting), {**first_form, "topic": "Тема первого редактора"})
    refused = second.post(
        edit_url(meeting), {**second_form, "topic": "Тема второго редактора", "protocol-attachments": "Мои приложения"}
    )

    assert saved.status_code == 302
    assert_conflict(refused, 'value="Тема второго редактора"')
    assert "Мои приложения" in text(refused)
    meeting.refresh_from_db()
    draft_protocol.refresh_from_db()
    assert (meeting.topic, meeting.version, draft_protocol.attachments) == ("Тема первого редактора", 2, "")


def test_resubmitting_the_refused_form_is_refused_again(two_editors, draft_protocol):
    meeting = draft_protocol.meeting
    first, second = two_editors
    first_form = form_fields(first.get(edit_url(meeting)))
    second_form = form_fields(second.get(edit_url(meeting)))
    first.post(edit_url(meeting), {**first_form, "topic": "Первый"})
    refused = second.post(edit_url(meeting), {**second_form, "topic": "Второй"})

    again = second.post(edit_url(meeting), form_fields(refused))

    assert again.status_code == CONFLICT
    meeting.refresh_from_db()
    assert meeting.topic == "Первый"


def test_after_reloading_the_second_editor_saves(two_editors, draft_protocol):
    meeting = draft_protocol.meeting
    first, second = two_editors
    first_form = form_fields(first.get(edit_url(meeting)))
    first.post(edit_url(meeting), {**first_form, "topic": "Первый"})

    reloaded = form_fields(second.get(edit_url(meeting)))
    response = second.post(edit_url(meeting), {**reloaded, "place": "Кабинет 7"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.place, meeting.version) == ("Первый", "Кабинет 7", 3)


def test_a_form_without_its_version_is_refused(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    client.force_login(leader.user)
    data = form_fields(client.get(edit_url(meeting)))
    del data["version"]

    response = client.post(edit_url(meeting), {**data, "topic": "Без версии"})

    assert_conflict(response, "Без версии")
    meeting.refresh_from_db()
    assert meeting.topic != "Без версии"


def test_attendance_saved_on_an_old_version_is_refused(two_editors, community, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    url = reverse("meetings:attendance", kwargs={"meeting_pk": meeting.pk})
    first, second = two_editors
    first_form = form_fields(first.get(url))
    second_form = form_fields(second.get(url))
    first_form.pop("attendance-0-present")  # Кузнецов absent
    first_form["attendance-0-absence_reason"] = "болезнь"

    saved = first.post(url, first_form)
    refused = second.post(url, {**second_form, "guests-0-full_name": "Гость второго редактора"})

    assert saved.status_code == 302
    assert_conflict(refused, 'value="Гость второго редактора"')
    assert list(meeting.attendance.filter(present=False).values_list("teacher__surname", "absence_reason")) == [
        ("Кузнецов", "болезнь")
    ]
    assert not meeting.guests.exists()


def test_question_added_on_an_old_version_is_refused(two_editors, draft_protocol):
    meeting = draft_protocol.meeting
    first, second = two_editors
    url = reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk})
    first_form = form_fields(first.get(url))
    second_form = form_fields(second.get(url))

    saved = first.post(url, {**first_form, "question": "Вопрос первого", "decisions-0-text": "Решение первого"})
    refused = second.post(url, {**second_form, "question": "Вопрос второго", "decisions-0-text": "Решение второго"})

    assert saved.status_code == 302
    assert_conflict(refused, "Вопрос второго")
    assert "Решение второго" in text(refused)
    assert list(meeting.agenda.values_list("order", flat=True)) == [1, 2]
    assert meeting.agenda.get(order=2).question == "Вопрос первого"
    assert not AgendaItem.objects.filter(question="Вопрос второго").exists()


def test_question_edited_on_an_old_version_is_refused(two_editors, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    first, second = two_editors
    url = reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk})
    first_form = form_fields(first.get(url))
    second_form = form_fields(second.get(url))

    first.post(url, {**first_form, "heard": "Текст первого"})
    refused = second.post(url, {**second_form, "heard": "Текст второго", "decisions-0-text": "Решение второго"})

    assert_conflict(refused, "Текст второго")
    item.refresh_from_db()
    assert item.heard == "Текст первого"
    assert item.decisions.get().text == "Принять к сведению."


def test_question_deleted_on_an_old_version_is_kept(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    second = DecisionFactory(agenda_item__meeting=meeting, agenda_item__order=2).agenda_item
    client.force_login(leader.user)
    Meeting.objects.filter(pk=meeting.pk).update(version=2)  # someone saved after the page was opened

    response = client.post(
        reverse("meetings:agenda_delete", kwargs={"item_pk": second.pk}), {"version": "1"}, follow=True
    )

    assert EDIT_CONFLICT_MESSAGE in text(response)
    assert AgendaItem.objects.filter(pk=second.pk).exists()


def test_bump_moves_to_the_next_version_once(draft_protocol):
    meeting = draft_protocol.meeting

    with transaction.atomic():
        meeting_bump_version(meeting=meeting, expected_version=1)
    assert meeting.version == 2

    with pytest.raises(MeetingVersionConflict) as error, transaction.atomic():
        meeting_bump_version(meeting=meeting, expected_version=1)

    assert error.value.messages == [EDIT_CONFLICT_MESSAGE]
    assert isinstance(error.value, ValidationError)
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_bump_of_a_signed_protocol_is_a_validation_error(signed_protocol):
    with pytest.raises(ValidationError) as error, transaction.atomic():
        meeting_bump_version(meeting=signed_protocol.meeting, expected_version=1)

    assert error.value.messages == ["Протокол подписан: его и данные заседания изменить или удалить нельзя."]


def test_two_tabs_of_the_same_leader_conflict_as_well(leader, draft_protocol):
    meeting = draft_protocol.meeting
    tab_one, tab_two = Client(), Client()
    tab_one.force_login(leader.user)
    tab_two.force_login(leader.user)
    one = form_fields(tab_one.get(edit_url(meeting)))
    two = form_fields(tab_two.get(edit_url(meeting)))

    assert tab_one.post(edit_url(meeting), {**one, "topic": "Вкладка 1"}).status_code == 302
    assert_conflict(tab_two.post(edit_url(meeting), {**two, "topic": "Вкладка 2"}), "Вкладка 2")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_let_exactly_one_through(community, leader):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no concurrent writers; this runs in the PostgreSQL pass of CI.")
    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED, topic="Исходная тема")
    topics = [f"Тема редактора {number}" for number in range(6)]
    barrier = threading.Barrier(len(topics))
    saved, refused, errors = [], [], []

    def save(topic):
        try:
            mine = Meeting.objects.get(pk=meeting.pk)
            mine.topic = topic
            barrier.wait()
            meeting_update(meeting=mine, expected_version=1)
            saved.append(topic)
        except MeetingVersionConflict:
            refused.append(topic)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(topic,)) for topic in topics]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(saved) == 1
    assert len(refused) == len(topics) - 1
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.version) == (saved[0], 2)
