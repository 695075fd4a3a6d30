"""The protocol pages: questions of the agenda with decisions and assignments, signing, corrections."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import AgendaItem, Assignment, Decision, Meeting, Protocol, ProtocolCorrection, Speaker
from tests.browser_forms import form_fields, login, text
from tests.conftest import appoint
from tests.factories import AgendaItemFactory, AssignmentFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def add_url(meeting):
    return reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk})


def edit_url(item):
    return reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk})


def delete_url(item):
    return reverse("meetings:agenda_delete", kwargs={"item_pk": item.pk})


def sign_url(meeting):
    return reverse("meetings:sign", kwargs={"meeting_pk": meeting.pk})


def correction_url(meeting):
    return reverse("meetings:correction", kwargs={"meeting_pk": meeting.pk})


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})


def question_data(client, url, **fields):
    """The form of the question page as the browser has it, changed by ``fields``."""
    data = form_fields(client.get(url))
    data.update({name: str(value) for name, value in fields.items()})
    return data


def snapshot(meeting):
    """What a signed protocol must keep: its questions, decisions and assignments."""
    return (
        list(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "order", "question", "heard")),
        list(Speaker.objects.filter(agenda_item__meeting=meeting).values_list("pk", "order", "teacher_id", "text")),
        list(Decision.objects.filter(agenda_item__meeting=meeting).values_list("pk", "order", "text")),
        list(
            Assignment.objects.filter(decision__agenda_item__meeting=meeting).values_list(
                "pk", "text", "responsible_id", "deadline"
            )
        ),
    )


# --- agenda_item_add / agenda_item_edit --------------------------------------------------------------------------


def test_add_page_proposes_the_next_number(client, leader, draft_protocol):
    login(client, leader)

    fields = form_fields(client.get(add_url(draft_protocol.meeting)))

    assert fields["order"] == "2"
    assert fields["decisions-TOTAL_FORMS"] == "1"


def test_leader_adds_a_question_with_decisions_and_an_assignment(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = question_data(
        client,
        add_url(meeting),
        question="Об открытых уроках",
        heard="Об опыте проведения открытых уроков.",
        **{
            "speakers-TOTAL_FORMS": 2,
            "speakers-0-teacher": member.pk,
            "speakers-1-part": "spoke",
            "speakers-1-full_name": "Орлова Наталья Викторовна",
            "speakers-1-position": "заместитель директора",
            "speakers-1-text": "поддержала.",
            "decisions-TOTAL_FORMS": 2,
            "decisions-0-text": "Провести открытый урок.",
            "decisions-0-vote": "counted",
            "decisions-0-votes_for": 1,
            "decisions-0-votes_against": 0,
            "decisions-0-votes_abstained": 1,
            "decisions-0-responsible": member.pk,
            "decisions-0-deadline": "2024-12-20",
            "decisions-1-text": "Принять к сведению.",
            "decisions-1-vote": "none",
        },
    )

    response = client.post(add_url(meeting), data)

    assert response.status_code == 302
    item = meeting.agenda.get(order=2)
    assert (item.question, item.heard) == ("Об открытых уроках", "Об опыте проведения открытых уроков.")
    assert list(item.speakers.values_list("order", "part", "teacher", "full_name", "text")) == [
        (1, "report", member.pk, "", ""),
        (2, "spoke", None, "Орлова Наталья Викторовна", "поддержала."),
    ]
    assert list(item.decisions.values_list("order", "text", "votes_for", "votes_against", "votes_abstained")) == [
        (1, "Провести открытый урок.", 1, 0, 1),
        (2, "Принять к сведению.", None, None, None),
    ]
    assert list(
        Assignment.objects.filter(decision__agenda_item=item).values_list("text", "responsible", "deadline")
    ) == [("Провести открытый урок.", member.pk, dt.date(2024, 12, 20))]
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_editing_a_decision_updates_and_clears_its_assignment(client, leader, member, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    first = item.decisions.get()
    AssignmentFactory(decision=first, text=first.text, responsible=member, deadline=dt.date(2024, 12, 1))
    DecisionFactory(agenda_item=item, order=2, text="Второе решение.")
    login(client, leader)
    data = question_data(client, edit_url(item))
    assert (data["decisions-0-responsible"], data["decisions-0-deadline"]) == (str(member.pk), "2024-12-01")

    data.update({"decisions-0-text": "Подготовить открытый урок к декабрю.", "decisions-0-deadline": "2024-12-15"})
    assert client.post(edit_url(item), data).status_code == 302

    assignment = Assignment.objects.get()
    assert (assignment.text, assignment.deadline) == ("Подготовить открытый урок к декабрю.", dt.date(2024, 12, 15))

    data = question_data(client, edit_url(item), **{"decisions-0-responsible": "", "decisions-0-deadline": ""})
    assert client.post(edit_url(item), data).status_code == 302

    assert not Assignment.objects.exists()
    assert list(item.decisions.values_list("order", "text")) == [
        (1, "Подготовить открытый урок к декабрю."),
        (2, "Второе решение."),
    ]


def test_deleting_a_decision_renumbers_the_rest(client, leader, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    DecisionFactory(agenda_item=item, order=2, text="Второе.")
    DecisionFactory(agenda_item=item, order=3, text="Третье.")
    login(client, leader)

    data = question_data(client, edit_url(item), **{"decisions-0-DELETE": "on"})
    response = client.post(edit_url(item), data)

    assert response.status_code == 302
    assert list(item.decisions.values_list("order", "text")) == [(1, "Второе."), (2, "Третье.")]


def test_a_question_needs_a_decision(client, leader, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)

    data = question_data(client, edit_url(item), question="Изменённый вопрос", **{"decisions-0-DELETE": "on"})
    response = client.post(edit_url(item), data)

    assert response.status_code == 200
    assert "Запишите решение по вопросу: по положению (п. 4.2) каждый вопрос заседания решается." in text(response)
    assert "Изменённый вопрос" in text(response)
    assert item.decisions.count() == 1
    item.refresh_from_db()
    assert item.question != "Изменённый вопрос"


def test_responsible_without_deadline_is_refused(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = question_data(
        client,
        add_url(meeting),
        question="Без срока",
        **{"decisions-0-text": "Сделать.", "decisions-0-responsible": member.pk},
    )

    response = client.post(add_url(meeting), data)

    assert response.status_code == 200
    assert "Укажите и ответственного, и срок — или не указывайте ни того, ни другого." in text(response)
    assert not meeting.agenda.filter(question="Без срока").exists()


def test_taken_question_number_is_refused(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = question_data(client, add_url(meeting), order=1, question="Дубль", **{"decisions-0-text": "Решили."})

    response = client.post(add_url(meeting), data)

    assert response.status_code == 200
    assert "Вопрос с таким номером уже есть в повестке." in text(response)
    assert meeting.agenda.count() == 1
    meeting.refresh_from_db()
    assert meeting.version == 1  # the refused save left no trace


@pytest.mark.parametrize("field", ["speakers-0-teacher", "decisions-0-responsible"])
def test_forged_speaker_or_responsible_from_outside_is_a_form_error(client, leader, outsider, draft_protocol, field):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = question_data(
        client,
        add_url(meeting),
        question="Подлог",
        **{"decisions-0-text": "Решили.", "decisions-0-deadline": "2024-12-01", field: outsider.pk},
    )

    response = client.post(add_url(meeting), data)

    assert response.status_code == 200
    assert "Выберите корректный вариант" in text(response)
    assert not meeting.agenda.filter(question="Подлог").exists()
    assert not Assignment.objects.filter(responsible=outsider).exists()


def test_forged_decision_of_another_question_is_not_touched(client, community, leader, draft_protocol):
    other = DecisionFactory(agenda_item=AgendaItemFactory(meeting=MeetingFactory(community=community, topic="Другое")))
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)
    data = question_data(client, edit_url(item), **{"decisions-0-id": other.pk, "decisions-0-text": "Подмена"})

    response = client.post(edit_url(item), data)

    assert response.status_code == 200
    assert "Выберите корректный вариант" in text(response)
    other.refresh_from_db()
    assert other.text != "Подмена"
    assert not Decision.objects.filter(text="Подмена").exists()


def test_agenda_of_a_meeting_without_protocol_sends_back(client, community, leader):
    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED)
    login(client, leader)

    response = client.get(add_url(meeting), follow=True)

    assert response.redirect_chain == [(detail_url(meeting), 302)]
    assert "У заседания нет протокола" in text(response)


def test_signed_protocol_questions_cannot_change(client, leader, member, signed_protocol):
    meeting = signed_protocol.meeting
    item = meeting.agenda.get()
    before = snapshot(meeting)
    login(client, leader)
    data = {
        "version": "1",
        "order": "1",
        "question": "Подмена",
        "decisions-TOTAL_FORMS": "1",
        "decisions-INITIAL_FORMS": "0",
        "decisions-0-text": "Подмена",
    }

    assert client.get(add_url(meeting)).status_code == 403
    assert client.post(add_url(meeting), data).status_code == 403
    assert client.get(edit_url(item)).status_code == 403
    response = client.post(edit_url(item), data)
    assert response.status_code == 403
    assert "Протокол подписан: изменить нельзя. Внесите исправление." in text(response)
    assert client.post(delete_url(item), {"version": "1"}).status_code == 403
    assert snapshot(meeting) == before


def test_member_may_not_edit_questions_outsiders_do_not_see_them(
    client, member, outsider, other_leader, draft_protocol
):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    before = snapshot(meeting)
    data = {"version": "1", "question": "Подмена"}
    for persona, status in ((member, 403), (outsider, 404), (other_leader, 404)):
        login(client, persona)
        assert client.get(add_url(meeting)).status_code == status
        assert client.post(add_url(meeting), data).status_code == status
        assert client.get(edit_url(item)).status_code == status
        assert client.post(edit_url(item), data).status_code == status
        assert client.post(delete_url(item), data).status_code == status
    assert snapshot(meeting) == before


def test_missing_question_is_404(client, leader):
    login(client, leader)

    assert client.get(reverse("meetings:agenda_edit", kwargs={"item_pk": 424242})).status_code == 404
    assert client.post(reverse("meetings:agenda_delete", kwargs={"item_pk": 424242})).status_code == 404


# --- agenda_item_delete ------------------------------------------------------------------------------------------


def test_leader_deletes_a_question_and_the_later_ones_move_up(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    first = meeting.agenda.get()
    DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=2, question="Второй"))
    DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=3, question="Третий"))
    login(client, leader)

    response = client.post(delete_url(first), {"version": "1"}, follow=True)

    assert response.redirect_chain == [(detail_url(meeting) + "#questions", 302)]
    assert "Вопрос 1 удалён из повестки." in text(response)
    assert list(meeting.agenda.values_list("order", "question")) == [(1, "Второй"), (2, "Третий")]
    assert not Decision.objects.filter(agenda_item_id=first.pk).exists()


def test_delete_is_post_only(client, leader, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)

    assert client.get(delete_url(item)).status_code == 405
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- protocol_sign -----------------------------------------------------------------------------------------------


def test_sign_page_shows_the_summary_and_does_not_sign(client, leader, draft_protocol):
    login(client, leader)

    response = client.get(sign_url(draft_protocol.meeting))

    page = text(response)
    assert response.status_code == 200
    assert "№ 1 от 15.10.2024, 2024/2025 уч. год" in page
    assert "Подписать протокол</button>" in page
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed


def test_leader_signs(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(sign_url(meeting)), containing="version")

    response = client.post(sign_url(meeting), data, follow=True)

    assert response.redirect_chain == [(detail_url(meeting), 302)]
    assert "Протокол № 1 подписан." in text(response)
    draft_protocol.refresh_from_db()
    assert (draft_protocol.is_signed, draft_protocol.signed_by) == (True, leader)


def test_question_without_decision_blocks_signing(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    AgendaItemFactory(meeting=meeting, order=2, question="Разное")
    login(client, leader)

    page = text(client.get(sign_url(meeting)))
    assert "По вопросу 2 «Разное» не записано решение." in page
    assert "Подписать протокол</button>" not in page

    response = client.post(sign_url(meeting), {"version": "1"}, follow=True)

    assert "По вопросу 2 «Разное» не записано решение." in text(response)
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed
    meeting.refresh_from_db()
    assert meeting.version == 1


def test_protocol_changed_since_the_sign_page_is_not_signed(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(sign_url(meeting)), containing="version")
    Meeting.objects.filter(pk=meeting.pk).update(version=2)  # someone saved the draft meanwhile

    response = client.post(sign_url(meeting), data, follow=True)

    assert "Протокол изменили после того, как вы открыли страницу подписи." in text(response)
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed


def test_department_sees_the_sign_page_but_only_the_leader_signs(client, admin_user, draft_protocol):
    login(client, admin_user)

    page = text(client.get(sign_url(draft_protocol.meeting)))
    assert "Подписать протокол может только действующий руководитель ПОС." in page

    response = client.post(sign_url(draft_protocol.meeting), {"version": "1"}, follow=True)

    assert "Подписать протокол может только действующий руководитель ПОС." in text(response)
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed


def test_member_may_not_sign_outsiders_do_not_see(client, member, methodist, outsider, other_leader, draft_protocol):
    meeting = draft_protocol.meeting
    for persona, status in ((member, 403), (methodist, 403), (outsider, 404), (other_leader, 404)):
        login(client, persona)
        assert client.get(sign_url(meeting)).status_code == status
        assert client.post(sign_url(meeting), {"version": "1"}).status_code == status
    draft_protocol.refresh_from_db()
    assert not draft_protocol.is_signed


def test_signing_a_signed_protocol_again_changes_nothing(client, leader, signed_protocol):
    signed_at = signed_protocol.signed_at
    login(client, leader)

    page = text(client.get(sign_url(signed_protocol.meeting)))
    response = client.post(sign_url(signed_protocol.meeting), {"version": "1"}, follow=True)

    assert "Протокол уже подписан" in page
    assert "Подписать протокол</button>" not in page
    assert "Протокол уже подписан." in text(response)
    signed_protocol.refresh_from_db()
    assert signed_protocol.signed_at == signed_at


def test_signing_a_meeting_without_protocol_is_404(client, community, leader):
    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED)
    login(client, leader)

    assert client.get(sign_url(meeting)).status_code == 404
    assert client.post(sign_url(meeting)).status_code == 404


# --- protocol_correction -----------------------------------------------------------------------------------------


def correction_data(**overrides):
    return {"text": "В п. 1.1 читать «до 20.12.2024».", "reason": "Служебная записка секретаря", **overrides}


def test_leader_adds_a_correction_to_a_signed_protocol(client, leader, signed_protocol):
    meeting = signed_protocol.meeting
    login(client, leader)

    response = client.post(correction_url(meeting), correction_data(), follow=True)

    assert response.redirect_chain == [(detail_url(meeting), 302)]
    correction = ProtocolCorrection.objects.get()
    assert (correction.protocol, correction.author, correction.text) == (
        signed_protocol,
        leader,
        "В п. 1.1 читать «до 20.12.2024».",
    )
    assert "В п. 1.1 читать «до 20.12.2024»." in text(response)


def test_correction_needs_text_and_reason(client, leader, signed_protocol):
    login(client, leader)

    response = client.post(correction_url(signed_protocol.meeting), correction_data(reason=""))

    assert response.status_code == 200
    assert response.context["correction_form"].errors["reason"]
    assert "В п. 1.1 читать «до 20.12.2024»." in text(response)
    assert not ProtocolCorrection.objects.exists()


def test_draft_protocol_takes_no_correction(client, leader, draft_protocol):
    login(client, leader)

    response = client.post(correction_url(draft_protocol.meeting), correction_data(), follow=True)

    assert "Черновик протокола исправляют напрямую; исправление — для подписанного." in text(response)
    assert not ProtocolCorrection.objects.exists()


def test_department_without_teacher_profile_cannot_author_a_correction(client, admin_user, signed_protocol):
    login(client, admin_user)

    response = client.post(correction_url(signed_protocol.meeting), correction_data())

    assert response.status_code == 200
    assert "Исправление к протоколу вносит действующий руководитель ПОС." in text(response)
    assert not ProtocolCorrection.objects.exists()


def test_correction_is_post_only_and_for_the_leader(client, leader, member, outsider, other_leader, signed_protocol):
    url = correction_url(signed_protocol.meeting)
    login(client, leader)
    assert client.get(url).status_code == 405
    for persona, status in ((member, 403), (outsider, 404), (other_leader, 404)):
        login(client, persona)
        assert client.post(url, correction_data()).status_code == status
    assert not ProtocolCorrection.objects.exists()
    assert Protocol.objects.get().is_signed


def test_question_page_query_count_does_not_grow_with_decisions(client, community, leader, member, draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    login(client, leader)
    counts = []
    for points in (1, 25):
        for order in range(item.decisions.count() + 1, points + 1):
            decision = DecisionFactory(agenda_item=item, order=order)
            AssignmentFactory(decision=decision, responsible=member)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(edit_url(item))
        assert response.context["decisions"].total_form_count() == points
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def test_after_a_change_of_leader_the_successor_signs_and_the_former_leader_is_not_asked(
    client, community, leader, member, draft_protocol
):
    meeting = draft_protocol.meeting
    appoint(community, member, starts_on=dt.date(2025, 1, 10), number="3-о")
    waiting = f"Протокол № {draft_protocol.number} от {meeting.date:%d.%m.%Y}"
    login(client, leader)
    assert client.get(sign_url(meeting)).status_code in (403, 404)
    assert "Подписать протокол" not in text(client.get(reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})))
    assert "ждут вашей подписи" not in text(client.get(reverse("home")))  # the former leader's home

    login(client, member)
    home = text(client.get(reverse("home")))
    assert "ждут вашей подписи" in home and waiting in home
    data = form_fields(client.get(sign_url(meeting)), containing="version")
    client.post(sign_url(meeting), data)

    draft_protocol.refresh_from_db()
    assert (draft_protocol.signed_by, draft_protocol.chair) == (member, leader)
