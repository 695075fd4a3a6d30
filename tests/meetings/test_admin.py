"""The admin keeps signed protocols read-only and creates protocols through the services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.admin.locks import SIGNED_PARENT_MESSAGE
from meetings.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Guest,
    Meeting,
    Protocol,
    ProtocolCorrection,
    Speaker,
)
from meetings.services import protocol_correct, protocol_sign
from tests.communities.test_admin import admin_url, assert_changelist_queries_constant
from tests.conftest import appoint, build_protocol
from tests.factories import (
    PAST_MEETING_DATE,
    AssignmentFactory,
    CommunityFactory,
    MeetingFactory,
    TeacherFactory,
    UserFactory,
)

# --- a signed protocol and what it freezes ---------------------------------------------------


def test_signed_protocol_change_page_is_read_only(admin_client, signed_protocol):
    response = admin_client.get(admin_url(Protocol, "change", signed_protocol.pk))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="place"' not in response.content.decode()
    assert signed_protocol.place in response.content.decode()


def test_post_to_signed_protocol_is_refused_and_changes_nothing(admin_client, signed_protocol):
    response = admin_client.post(
        admin_url(Protocol, "change", signed_protocol.pk), {"place": "г. Ярославль", "attachments": "Список"}
    )

    assert response.status_code == 403
    signed_protocol.refresh_from_db()
    assert (signed_protocol.place, signed_protocol.attachments) == ("г. Тутаев", "")


def test_signed_protocol_cannot_be_deleted(admin_client, signed_protocol):
    url = admin_url(Protocol, "delete", signed_protocol.pk)

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Protocol.objects.filter(pk=signed_protocol.pk, signed_at__isnull=False).exists()


def test_meeting_of_signed_protocol_is_read_only(admin_client, signed_protocol):
    meeting = signed_protocol.meeting
    url = admin_url(Meeting, "change", meeting.pk)

    page = admin_client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="topic"' not in page.content.decode()
    assert not any(formset.has_add_permission for formset in page.context["inline_admin_formsets"])

    response = admin_client.post(url, {"topic": "Другая тема", "date": "15.10.2024", "status": "held"})

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.topic != "Другая тема"
    assert admin_client.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("model", [AgendaItem, Decision, Attendance, Guest])
def test_rows_of_signed_protocol_cannot_be_changed_or_deleted(admin_client, draft_protocol, leader, model):
    Guest.objects.create(meeting=draft_protocol.meeting, full_name="Петрова Мария Ивановна")
    protocol_sign(protocol=draft_protocol, user=leader.user)
    row = model.objects.locked().first()

    assert admin_client.get(admin_url(model, "change", row.pk)).status_code == 200
    assert admin_client.post(admin_url(model, "change", row.pk), {}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_bulk_delete_of_signed_rows_is_refused(admin_client, signed_protocol):
    items = list(AgendaItem.objects.filter(meeting=signed_protocol.meeting).values_list("pk", flat=True))

    response = admin_client.post(
        admin_url(AgendaItem), {"action": "delete_selected", "_selected_action": items, "post": "yes"}
    )

    assert response.status_code == 403
    assert AgendaItem.objects.filter(pk__in=items).count() == len(items)


def test_no_attendance_is_added_to_a_signed_meeting(admin_client, signed_protocol, outsider):
    response = admin_client.post(
        admin_url(Attendance, "add"), {"meeting": signed_protocol.meeting_id, "teacher": outsider.pk, "present": "on"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["meeting"] == [SIGNED_PARENT_MESSAGE]
    assert not Attendance.objects.filter(teacher=outsider).exists()


def test_assignment_of_signed_protocol_only_reports_execution(admin_client, draft_protocol, leader, member):
    decision = Decision.objects.get(agenda_item__meeting=draft_protocol.meeting)
    assignment = AssignmentFactory(decision=decision, responsible=member, text="Подготовить открытый урок.")
    protocol_sign(protocol=draft_protocol, user=leader.user)

    page = admin_client.get(admin_url(Assignment, "change", assignment.pk))
    assert set(page.context["adminform"].form.fields) == {
        "status",
        "done_on",
        "report",
        "report_file",
        "return_comment",
    }
    assert page.context["has_delete_permission"] is False

    response = admin_client.post(
        admin_url(Assignment, "change", assignment.pk),
        {"text": "Другое поручение", "status": "done", "done_on": "20.11.2024", "report": "Урок проведён."},
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.done_on, assignment.report) == (
        "done",
        dt.date(2024, 11, 20),
        "Урок проведён.",
    )
    assert assignment.text == "Подготовить открытый урок."


def test_saving_a_meeting_in_the_admin_bumps_its_version(admin_client, community):
    meeting = MeetingFactory(community=community, topic="Старая тема")
    data = {
        "community": community.pk,
        "form": meeting.form,
        "topic": "Новая тема",
        "date": "15.10.2024",
        "status": Meeting.Status.HELD,
        "edited_version": meeting.version,  # the version the change form was opened on
    }
    for prefix in ("attendance", "guests", "agenda"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    response = admin_client.post(admin_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.version) == ("Новая тема", 2)


# --- draft protocols -----------------------------------------------------------------------------


def test_draft_protocol_number_community_and_year_are_read_only(admin_client, draft_protocol, member, other_community):
    response = admin_client.post(
        admin_url(Protocol, "change", draft_protocol.pk),
        {
            "number": 99,
            "community": other_community.pk,
            "academic_year": "2020/2021",
            "place": "г. Тутаев, МОУ СШ № 1",
            "secretary": member.pk,
        },
    )

    assert response.status_code == 302
    draft_protocol.refresh_from_db()
    assert (draft_protocol.number, draft_protocol.academic_year.label) == (1, "2024/2025")
    assert draft_protocol.community.name == "ПОС учителей математики"
    assert (draft_protocol.place, draft_protocol.secretary) == ("г. Тутаев, МОУ СШ № 1", member)


def test_adding_a_protocol_gives_the_next_number_of_the_year(admin_client, draft_protocol, community, leader):
    meeting = MeetingFactory(community=community, date=dt.date(2024, 11, 20))

    response = admin_client.post(admin_url(Protocol, "add"), {"meeting": meeting.pk, "place": ""})

    assert response.status_code == 302
    protocol = Protocol.objects.get(meeting=meeting)
    assert (protocol.number, protocol.chair, protocol.place) == (2, leader, "г. Тутаев")
    assert response.url == admin_url(Protocol)


def test_add_protocol_form_asks_only_for_the_meeting_and_people(admin_client):
    response = admin_client.get(admin_url(Protocol, "add"))

    assert list(response.context["adminform"].form.fields) == ["meeting", "chair", "secretary", "place"]


def test_add_protocol_offers_only_held_meetings_without_protocol(admin_client, draft_protocol, community):
    waiting = MeetingFactory(community=community, topic="Заседание без протокола")
    MeetingFactory(
        community=community, topic="Заседание отменено", status=Meeting.Status.CANCELLED, cancel_reason="Карантин"
    )

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "meetings", "model_name": "protocol", "field_name": "meeting", "term": "Заседание"},
    )

    assert [result["id"] for result in response.json()["results"]] == [str(waiting.pk)]


def test_second_protocol_of_a_meeting_is_a_form_error(admin_client, draft_protocol):
    response = admin_client.post(admin_url(Protocol, "add"), {"meeting": draft_protocol.meeting_id})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["meeting"] == ["У этого заседания уже есть протокол."]
    assert Protocol.objects.count() == 1


def test_protocol_service_errors_are_form_errors(admin_client, community, leader):
    # No chair given: the service takes the leader, who is also named secretary.
    meeting = MeetingFactory(community=community)

    response = admin_client.post(admin_url(Protocol, "add"), {"meeting": meeting.pk, "secretary": leader.pk})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["secretary"] == ["Председательствующий и секретарь — разные люди."]
    assert not Protocol.objects.exists()


def test_protocol_for_a_planned_meeting_is_a_form_error(admin_client, community, leader):
    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED, date=dt.date(2099, 1, 1))

    response = admin_client.post(admin_url(Protocol, "add"), {"meeting": meeting.pk})

    assert response.context["adminform"].form.non_field_errors() == [
        "Протокол составляется только для проведённого заседания."
    ]
    assert not Protocol.objects.exists()


def test_only_the_last_draft_of_the_year_can_be_deleted(admin_client, draft_protocol, community, leader, member):
    second = build_protocol(community, leader, [leader, member], date=dt.date(2024, 11, 20))

    assert admin_client.post(admin_url(Protocol, "delete", draft_protocol.pk), {"post": "yes"}).status_code == 403
    assert Protocol.objects.filter(pk=draft_protocol.pk).exists()

    assert admin_client.post(admin_url(Protocol, "delete", second.pk), {"post": "yes"}).status_code == 302
    assert list(Protocol.objects.values_list("number", flat=True)) == [1]


# --- corrections --------------------------------------------------------------------------------------


def correction_data(protocol, author):
    return {"protocol": protocol.pk, "author": author.pk, "text": "Читать «15.10.2024».", "reason": "Опечатка в дате"}


def test_correction_is_added_by_the_current_leader(admin_client, signed_protocol, leader):
    response = admin_client.post(admin_url(ProtocolCorrection, "add"), correction_data(signed_protocol, leader))

    assert response.status_code == 302
    correction = ProtocolCorrection.objects.get()
    assert (correction.protocol, correction.author) == (signed_protocol, leader)


def test_correction_by_another_teacher_is_a_form_error(admin_client, signed_protocol, member):
    response = admin_client.post(admin_url(ProtocolCorrection, "add"), correction_data(signed_protocol, member))

    assert response.context["adminform"].form.non_field_errors() == [
        "Исправление к протоколу вносит действующий руководитель ПОС."
    ]
    assert not ProtocolCorrection.objects.exists()


def test_correction_cannot_be_changed_or_deleted(admin_client, signed_protocol, leader):
    admin_client.post(admin_url(ProtocolCorrection, "add"), correction_data(signed_protocol, leader))
    correction = ProtocolCorrection.objects.get()

    assert admin_client.post(admin_url(ProtocolCorrection, "change", correction.pk), {}).status_code == 403
    assert admin_client.post(admin_url(ProtocolCorrection, "delete", correction.pk), {"post": "yes"}).status_code == 403
    assert ProtocolCorrection.objects.filter(pk=correction.pk, text="Читать «15.10.2024».").exists()


# --- changelists keep a fixed number of queries ---------------------------------------------------


def protocol_row(signed=True):
    """A community with its leader and a held meeting with attendance, a guest, a question, a
    decision with an assignment, and its protocol (signed unless asked otherwise)."""
    community = CommunityFactory()
    leader = TeacherFactory(user=UserFactory())
    appoint(community, leader)
    protocol = build_protocol(community, leader, [leader], date=PAST_MEETING_DATE)
    AssignmentFactory(decision=Decision.objects.get(agenda_item__meeting=protocol.meeting), responsible=leader)
    Guest.objects.create(meeting=protocol.meeting, full_name="Петрова М.И.", position="методист ИОЦ")
    return protocol_sign(protocol=protocol, user=leader.user) if signed else protocol


@pytest.mark.slow  # signs 26 protocols, each with its PDF
@pytest.mark.parametrize(
    ("model", "shown_per_row"),
    [(Meeting, "№ 1, подписан"), (Protocol, "icon-yes.svg"), (Assignment, "№ 1, подписан")],
)
def test_changelist_queries(admin_client, db, model, shown_per_row):
    response = assert_changelist_queries_constant(admin_client, model, protocol_row)

    assert response.content.decode().count(shown_per_row) == 25


@pytest.mark.slow  # signs 26 protocols, each with its PDF
@pytest.mark.parametrize("model", [AgendaItem, Decision, Attendance, Guest, ProtocolCorrection])
def test_other_changelist_queries(admin_client, db, model):
    def add_row():
        protocol = protocol_row()
        protocol_correct(protocol=protocol, author=protocol.signed_by, text="Исправить дату.", reason="Опечатка")

    assert_changelist_queries_constant(admin_client, model, add_row)


def test_meeting_changelist_shows_protocol_state(admin_client, db):
    signed, draft = protocol_row(), protocol_row(signed=False)
    MeetingFactory(topic="Без протокола")

    response = admin_client.get(admin_url(Meeting))

    content = response.content.decode()
    assert f"№ 1, подписан {timezone.localtime(signed.signed_at):%d.%m.%Y}" in content
    assert "№ 1, черновик" in content
    assert reverse("admin:meetings_protocol_change", args=[draft.pk]) in content


def test_changelist_filters_by_protocol_state_and_academic_year(admin_client, db):
    signed, draft = protocol_row(), protocol_row(signed=False)
    next_year = MeetingFactory(date=dt.date(2025, 9, 15))

    drafts = admin_client.get(admin_url(Protocol), {"signed": "no", "year": "2024"})
    meetings_with_signed = admin_client.get(admin_url(Meeting), {"protocol": "signed"})
    meetings_of_2025 = admin_client.get(admin_url(Meeting), {"year": "2025"})

    assert list(drafts.context["cl"].result_list) == [draft]
    assert list(meetings_with_signed.context["cl"].result_list) == [signed.meeting]
    assert list(meetings_of_2025.context["cl"].result_list) == [next_year]


def test_speakers_of_a_question_are_an_inline_read_only_once_signed(admin_client, draft_protocol, leader):
    item = draft_protocol.meeting.agenda.get()
    url = admin_url(AgendaItem, "change", item.pk)
    assert 'name="speakers-0-teacher"' in admin_client.get(url).content.decode()  # a draft: editable
    protocol_sign(protocol=draft_protocol, user=leader.user)

    page = admin_client.get(url)

    speakers = next(formset for formset in page.context["inline_admin_formsets"] if formset.opts.model is Speaker)
    assert (speakers.has_add_permission, speakers.has_change_permission, speakers.has_delete_permission) == (
        False,
        False,
        False,
    )
    assert 'name="speakers-0-teacher"' not in page.content.decode()
    assert str(leader) in page.content.decode()
