"""Votes without arithmetic: «единогласно» by default, counted votes never more than those present, and
decisions taken without a vote («принять к сведению»)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Attendance, Decision
from meetings.protocol_content import load_protocol, protocol_content
from meetings.services import protocol_sign
from tests.browser_forms import form_fields, login, text
from tests.factories import AgendaItemFactory, AttendanceFactory, DecisionFactory, MeetingFactory, TeacherFactory


def add_url(meeting):
    return reverse("meetings:agenda_add", args=[meeting.pk])


def votes_lines(protocol):
    return [
        (decision.number, decision.votes)
        for question in protocol_content(load_protocol(protocol.pk)).questions
        for decision in question.decisions
    ]


# --- the rule: no vote total exceeds those present ------------------------------------------------------------


def test_signing_is_refused_while_votes_exceed_those_present(draft_protocol, leader):
    # «за – 25» typed in a community where 2 were present (stored before the rule, or attendance changed since).
    item = AgendaItemFactory(meeting=draft_protocol.meeting, order=2, question="Разное", speaker=leader)
    DecisionFactory(agenda_item=item, order=1, text="Одобрить", votes_for=25, votes_against=0, votes_abstained=0)

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == [
        "Решение 2.1: Голосов (25) больше, чем присутствовало на заседании (2): проверьте подсчёт."
    ]
    draft_protocol.refresh_from_db()
    assert draft_protocol.signed_at is None


def test_signing_is_refused_when_a_member_marked_absent_leaves_votes_over_the_count(draft_protocol, leader, member):
    DecisionFactory(agenda_item=draft_protocol.meeting.agenda.get(), order=2, text="Одобрить", votes_for=2)
    Attendance.objects.filter(meeting=draft_protocol.meeting, teacher=member).update(present=False)

    assert draft_protocol.signing_problems(leader) == [
        "Решение 1.2: Голосов (2) больше, чем присутствовало на заседании (1): проверьте подсчёт."
    ]


def test_votes_up_to_those_present_are_signed(draft_protocol, leader):
    DecisionFactory(agenda_item=draft_protocol.meeting.agenda.get(), order=2, text="Одобрить", votes_for=1)
    decision = Decision.objects.get(text="Одобрить")
    decision.votes_against = 1
    decision.save()

    assert protocol_sign(protocol=draft_protocol, user=leader.user).is_signed


def test_decision_clean_refuses_more_votes_than_present(draft_protocol):
    decision = draft_protocol.meeting.agenda.get().decisions.get()
    decision.vote, decision.votes_for, decision.votes_against, decision.votes_abstained = "counted", 2, 0, 1

    with pytest.raises(ValidationError) as error:
        decision.full_clean()

    assert error.value.messages == ["Голосов (3) больше, чем присутствовало на заседании (2): проверьте подсчёт."]


def test_decision_clean_leaves_votes_alone_while_attendance_is_unknown(community, leader):
    meeting = MeetingFactory(community=community)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1, speaker=leader))
    decision.vote, decision.votes_for = "counted", 50

    decision.full_clean()

    assert (decision.votes_for, decision.votes_against, decision.votes_abstained) == (50, 0, 0)


def test_counted_votes_need_the_number_for(draft_protocol):
    decision = draft_protocol.meeting.agenda.get().decisions.get()
    decision.vote = "counted"

    with pytest.raises(ValidationError) as error:
        decision.full_clean()

    assert error.value.message_dict == {"votes_for": ["Укажите, сколько голосовали «за»."]}


def test_unanimous_and_no_vote_keep_no_numbers(draft_protocol):
    decision = draft_protocol.meeting.agenda.get().decisions.get()
    for vote in ("unanimous", "none"):
        decision.vote, decision.votes_for, decision.votes_against = vote, 99, 3

        decision.full_clean()

        assert (decision.votes_for, decision.votes_against, decision.votes_abstained) == (None, None, None)


# --- what the protocol prints ---------------------------------------------------------------------------------


def test_unanimous_prints_those_present_and_no_vote_prints_nothing(draft_protocol, leader, community):
    meeting = draft_protocol.meeting
    absent = TeacherFactory()
    AttendanceFactory(meeting=meeting, teacher=absent, present=False, absence_reason="болезнь")
    item = meeting.agenda.get()
    Decision.objects.filter(agenda_item=item).update(vote="unanimous")
    DecisionFactory(agenda_item=item, order=2, text="Принять к сведению")  # no numbers: «без голосования»
    DecisionFactory(agenda_item=item, order=3, text="Одобрить", votes_for=1, votes_against=0, votes_abstained=1)

    lines = [
        (number, votes and (votes.in_favour, votes.against, votes.abstained, votes.unanimous))
        for number, votes in votes_lines(draft_protocol)
    ]

    assert lines == [
        ("1.1", (2, 0, 0, True)),  # the 2 present, not the absent member
        ("1.2", None),
        ("1.3", (1, 0, 1, False)),
    ]


def test_the_page_prints_unanimous_as_in_russian_protocols(client, draft_protocol, leader):
    Decision.objects.filter(agenda_item__meeting=draft_protocol.meeting).update(vote="unanimous")
    login(client, leader)

    page = text(client.get(reverse("meetings:detail", args=[draft_protocol.meeting.pk])))

    assert "Голосовали: за – 2 (единогласно), против – 0, воздержались – 0." in page


# --- the decision form ----------------------------------------------------------------------------------------


def test_a_new_decision_is_unanimous_without_typing_a_number(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(add_url(meeting)))
    assert data["decisions-0-vote"] == "unanimous"  # checked by default, the first choice
    data.update(
        {"question": "Об открытых уроках", "speakers-0-teacher": str(leader.pk), "decisions-0-text": "Провести."}
    )

    response = client.post(add_url(meeting), data)

    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item__meeting=meeting, text="Провести.")
    assert (decision.vote, decision.votes_for, decision.votes_against, decision.votes_abstained) == (
        "unanimous",
        None,
        None,
        None,
    )


def test_the_form_refuses_more_votes_than_present_and_keeps_what_was_typed(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(add_url(meeting)))
    data.update(
        {
            "question": "Об открытых уроках",
            "speakers-0-teacher": str(leader.pk),
            "decisions-0-text": "Провести.",
            "decisions-0-vote": "counted",
            "decisions-0-votes_for": "25",
            "decisions-0-votes_against": "0",
            "decisions-0-votes_abstained": "0",
        }
    )

    response = client.post(add_url(meeting), data)

    assert response.status_code == 200
    assert "Голосов (25) больше, чем присутствовало на заседании (2): проверьте подсчёт." in text(response)
    kept = form_fields(response)
    assert (kept["decisions-0-vote"], kept["decisions-0-votes_for"], kept["decisions-0-text"]) == (
        "counted",
        "25",
        "Провести.",
    )
    assert not Decision.objects.filter(text="Провести.").exists()


def test_a_decision_can_be_taken_without_a_vote(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(add_url(meeting)))
    data.update(
        {
            "question": "Информация ИОЦ",
            "speakers-0-teacher": str(leader.pk),
            "decisions-0-text": "Принять к сведению.",
            "decisions-0-vote": "none",
        }
    )

    assert client.post(add_url(meeting), data).status_code == 302
    assert Decision.objects.get(text="Принять к сведению.", agenda_item__question="Информация ИОЦ").vote == "none"
