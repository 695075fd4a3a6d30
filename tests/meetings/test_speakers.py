"""The speakers of a question: one or more, each a member or an outside person, in order, all printed (issue 11,
item 3), and a member who spoke is among those present before the protocol is signed (item 5)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings.models import Speaker
from meetings.models.speakers import name_forms
from meetings.protocol_content import load_protocol, protocol_content
from meetings.services import protocol_sign
from tests.browser_forms import form_fields, login, text
from tests.factories import SpeakerFactory
from tests.reports.test_protocol_pdf import page_document_text

pytestmark = pytest.mark.django_db


def edit_url(item):
    return reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk})


def outside(item, order, **fields):
    return SpeakerFactory(agenda_item=item, order=order, teacher=None, **fields)


@pytest.mark.parametrize(
    ("written", "forms"),
    [
        ("Орлова Наталья Викторовна", ("Орлова Н.В.", "Н.В. Орлова")),
        ("Орлова-Петрова Наталья", ("Орлова-Петрова Н.", "Н. Орлова-Петрова")),
        ("Орлова Н.В.", ("Орлова Н.В.", "Н.В. Орлова")),
        ("заместитель директора, Н.В. Орлова", ("заместитель директора, Н.В. Орлова",) * 2),
    ],
)
def test_outside_names_take_the_gost_forms(written, forms):
    assert name_forms(written) == forms


def test_a_speaker_is_a_member_or_an_outside_person_never_both_nor_none(draft_protocol, leader):
    item = draft_protocol.meeting.agenda.get()
    for speaker in (
        Speaker(agenda_item=item, order=2, teacher=leader, full_name="Орлова Наталья Викторовна"),
        Speaker(agenda_item=item, order=2),
    ):
        with pytest.raises(ValidationError) as error:
            speaker.full_clean()
        assert error.value.messages == ["Выберите члена ПОС или впишите ФИО не из ПОС — одно из двух."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(agenda_item=item, order=2, teacher=leader, full_name="Орлова Наталья Викторовна")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(agenda_item=item, order=1, full_name="Орлова Наталья Викторовна")  # order 1 taken
    assert list(item.speakers.values_list("order", "teacher")) == [(1, leader.pk)]


def test_two_speakers_are_both_printed_in_order_in_gost_forms(client, draft_protocol, leader, member):
    """The finding: a member speaker and one «не из ПОС» on one question; the second disappeared from page and PDF."""
    item = draft_protocol.meeting.agenda.get()
    item.speakers.all().delete()
    outside(item, 1, full_name="Орлова Наталья Викторовна", position="заместитель директора по УВР")
    SpeakerFactory(agenda_item=item, order=2, teacher=member)
    SpeakerFactory(agenda_item=item, order=3, part=Speaker.Part.SPOKE, teacher=leader, text="поддержала.")
    outside(item, 4, part=Speaker.Part.SPOKE, full_name="Белова Елена Андреевна", text="предложила план.")

    question = protocol_content(load_protocol(draft_protocol.pk)).questions[0]

    assert question.speaker == "заместитель директора по УВР, Н.В. Орлова; учитель, И.П. Кузнецов"
    assert question.heard_from == "Орлова Н.В., Кузнецов И.П."
    assert [(spoke.name, spoke.text) for spoke in question.spoke] == [
        ("Смирнова О.В.", "поддержала."),
        ("Белова Е.А.", "предложила план."),
    ]
    login(client, leader)
    page = page_document_text(client.get(reverse("meetings:detail", kwargs={"meeting_pk": draft_protocol.meeting_id})))
    assert "Докладчики: заместитель директора по УВР, Н.В. Орлова; учитель, И.П. Кузнецов" in page
    assert "СЛУШАЛИ: Орлова Н.В., Кузнецов И.П. – Докладчик рассказала об опыте." in page
    assert "ВЫСТУПИЛИ: Смирнова О.В. – поддержала. Белова Е.А. – предложила план." in page


def test_a_report_keeps_its_text_in_heard(draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    speaker = Speaker(agenda_item=item, order=2, full_name="Орлова Наталья Викторовна", text="Доложила.")

    with pytest.raises(ValidationError) as error:
        speaker.full_clean()

    assert error.value.message_dict == {
        "text": ["Содержание доклада записывается в поле «СЛУШАЛИ» вопроса; здесь — текст выступления."]
    }


def test_leader_adds_and_removes_speakers_on_the_question_page(client, draft_protocol, leader, member):
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)
    data = form_fields(client.get(edit_url(item)))
    assert (data["speakers-TOTAL_FORMS"], data["speakers-0-teacher"]) == ("2", str(leader.pk))
    data.update(
        {
            "speakers-0-DELETE": "on",
            "speakers-1-teacher": str(member.pk),
            "speakers-TOTAL_FORMS": "3",
            "speakers-2-part": "spoke",
            "speakers-2-full_name": "Орлова Наталья Викторовна",
            "speakers-2-position": "заместитель директора",
            "speakers-2-text": "поддержала.",
        }
    )

    assert client.post(edit_url(item), data).status_code == 302

    assert list(item.speakers.values_list("order", "part", "teacher", "full_name", "text")) == [
        (1, "report", member.pk, "", ""),
        (2, "spoke", None, "Орлова Наталья Викторовна", "поддержала."),
    ]


def test_a_row_with_both_a_member_and_a_name_is_refused_and_keeps_what_was_typed(client, draft_protocol, leader):
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)
    data = form_fields(client.get(edit_url(item)))
    data.update({"speakers-1-teacher": str(leader.pk), "speakers-1-full_name": "Орлова Наталья Викторовна"})
    data["speakers-1-part"] = "spoke"

    response = client.post(edit_url(item), data)

    assert response.status_code == 200
    assert "Выберите члена ПОС или впишите ФИО не из ПОС — одно из двух." in text(response)
    assert 'value="Орлова Наталья Викторовна"' in response.content.decode()
    assert item.speakers.count() == 1


def test_a_member_speaker_absent_from_the_meeting_stops_signing(draft_protocol, leader, member):
    meeting = draft_protocol.meeting
    meeting.attendance.filter(teacher=member).update(present=False, absence_reason="болезнь")
    item = meeting.agenda.get()
    SpeakerFactory(agenda_item=item, order=2, part=Speaker.Part.SPOKE, teacher=member, text="Предложил.")
    outside(item, 3, full_name="Орлова Наталья Викторовна")  # an outside person is not in the attendance

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == [
        f"Кузнецов И.П. выступает по вопросу 1 «{item.question}», но не отмечен(а) среди присутствовавших: "
        "отметьте присутствие или исправьте список выступающих."
    ]
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed


def test_present_speakers_and_outside_people_let_the_protocol_be_signed(draft_protocol, leader, member):
    item = draft_protocol.meeting.agenda.get()
    SpeakerFactory(agenda_item=item, order=2, part=Speaker.Part.SPOKE, teacher=member, text="Предложил.")
    outside(item, 3, full_name="Орлова Наталья Викторовна")

    assert draft_protocol.signing_problems(leader) == []


def test_changes_to_speakers_are_in_the_audit_trail(draft_protocol, community):
    item = draft_protocol.meeting.agenda.get()
    speaker = outside(item, 2, full_name="Орлова Наталья Викторовна")
    speaker.position = "заместитель директора"
    speaker.save()

    history = Speaker.history.filter(id=speaker.pk).order_by("history_id")

    assert [(row.history_type, row.position, row.history_community_id) for row in history] == [
        ("+", "", community.pk),
        ("~", "заместитель директора", community.pk),
    ]


def test_an_absent_speaker_of_a_meeting_without_attendance_is_not_reported_twice(draft_protocol, leader):
    draft_protocol.meeting.attendance.all().delete()  # «Не отмечено присутствие» says it

    assert draft_protocol.absent_speakers_problems() == []
