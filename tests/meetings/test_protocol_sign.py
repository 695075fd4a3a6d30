import pytest
from django.core.exceptions import ValidationError

from meetings.services import protocol_sign
from tests.conftest import appoint
from tests.factories import AgendaItemFactory, DecisionFactory, TeacherFactory

NOT_THE_LEADER = "Подписать протокол может только действующий руководитель ПОС."


def test_leader_signs_a_complete_protocol(draft_protocol, leader):
    signed = protocol_sign(protocol=draft_protocol, user=leader.user)

    signed.refresh_from_db()
    assert signed.is_signed
    assert signed.signed_by == leader


def test_member_cannot_sign(draft_protocol, member):
    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=member.user)

    assert error.value.messages == [NOT_THE_LEADER]
    draft_protocol.refresh_from_db()
    assert draft_protocol.signed_at is None


def test_leader_of_another_community_cannot_sign(draft_protocol, other_leader):
    with pytest.raises(ValidationError):
        protocol_sign(protocol=draft_protocol, user=other_leader.user)


def test_successor_leader_signs_a_protocol_left_unsigned_at_a_change_of_leader(
    draft_protocol, community, leader, member
):
    # A new leader from a date after the meeting: the leader on the day of signing signs, the one who chaired is named.
    import datetime as dt

    appoint(community, member, starts_on=dt.date(2025, 1, 10), number="3-о")

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)
    assert error.value.messages == [NOT_THE_LEADER]
    signed = protocol_sign(protocol=draft_protocol, user=member.user)

    signed.refresh_from_db()
    assert (signed.signed_by, signed.chair) == (member, leader)


def test_question_without_decision_blocks_signing(draft_protocol, leader):
    AgendaItemFactory(meeting=draft_protocol.meeting, order=2, question="Разное")

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == ["По вопросу 2 «Разное» не записано решение."]


def test_held_meeting_without_attendance_cannot_be_signed(draft_protocol, leader):
    draft_protocol.meeting.attendance.all().delete()

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == ["Не отмечено присутствие: укажите, кто присутствовал на заседании."]


def test_protocol_without_questions_cannot_be_signed(draft_protocol, leader):
    draft_protocol.meeting.agenda.all().delete()

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == ["В протоколе нет ни одного вопроса повестки дня."]


def test_signing_twice_is_refused(signed_protocol, leader):
    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=signed_protocol, user=leader.user)

    assert error.value.messages == ["Протокол уже подписан."]


def test_user_without_teacher_profile_cannot_sign(draft_protocol, methodist):
    with pytest.raises(ValidationError):
        protocol_sign(protocol=draft_protocol, user=methodist)


def test_several_decisions_per_question_are_fine(draft_protocol, leader):
    DecisionFactory(agenda_item=draft_protocol.meeting.agenda.get(), order=2, text="Второе решение")
    TeacherFactory()

    assert protocol_sign(protocol=draft_protocol, user=leader.user).is_signed


def test_the_chair_and_the_secretary_must_be_among_those_present(draft_protocol, leader, member):
    secretary = TeacherFactory(surname="Белова", name="Нина", patronymic="Сергеевна")
    draft_protocol.secretary = secretary
    draft_protocol.save()
    draft_protocol.meeting.attendance.filter(teacher=leader).update(present=False, absence_reason="болезнь")
    draft_protocol.meeting.agenda.get().speakers.update(teacher=member)  # the absent leader is no speaker here

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == [
        "Председательствующий Смирнова О.В. не отмечен(а) среди присутствовавших: отметьте присутствие "
        "или укажите другого председательствующего.",
        "Секретарь Белова Н.С. не отмечен(а) среди присутствовавших: отметьте присутствие или укажите другого "
        "секретаря.",
    ]
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed
