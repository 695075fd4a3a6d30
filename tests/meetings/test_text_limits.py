"""The limits of pos_portal/limits.py at entry (issue 12, item 10): what reaches a document is refused when it is
typed, with a Russian message, in the protocol editor, the admin and the models, and the rejected form keeps what was
typed. The finding: 200 questions (1.2 MB of text) took 61 s and 241 MB; one 200 KB word in a decision gave a 500."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import AgendaItem, Decision, Speaker
from meetings.models.protocols import agenda_text_length, signing_agenda
from meetings.protocol_content import load_protocol
from meetings.services import protocol_sign
from meetings.services.assignments import follow_up_question_add
from pos_portal import limits
from tests.browser_forms import login
from tests.conftest import build_protocol
from tests.factories import AgendaItemFactory, AssignmentFactory, DecisionFactory, SpeakerFactory, TeacherFactory
from tests.meetings.test_protocol_editor_page import detail_url, part_forms
from tests.reports.max_case import prose

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def new_question(client, meeting, **texts):
    """Post the meeting page's «new question» part with ``texts`` (field names without the prefix)."""
    data = part_forms(client.get(f"{detail_url(meeting)}?edit=new"))["new"]
    data.update({"new-question": "О конкурсе", "new-heard": "Рассказала.", "new-decisions-0-text": "Участвовать."})
    data.update({f"new-{name.replace('__', '-')}": value for name, value in texts.items()})
    return client.post(reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk}), data)


def test_a_200_kb_word_in_a_decision_is_refused_at_entry_and_the_form_keeps_the_rest(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)

    response = new_question(client, meeting, heard="Текст, который нельзя потерять.", decisions__0__text="ф" * 200_000)

    page = response.content.decode()
    assert response.status_code == 200
    assert "не более 4000 символов" in page.lower()
    assert "Текст, который нельзя потерять." in page
    assert meeting.agenda.count() == 1


def test_a_word_that_cannot_wrap_is_refused_with_a_message_that_says_so(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)

    response = new_question(client, meeting, decisions__0__text="Утвердить " + "а" * (limits.LONGEST_WORD + 1))

    page = response.content.decode()
    assert response.status_code == 200
    assert "без пробела не переносится на строке документа" in page
    assert f"не более {limits.LONGEST_WORD} символов подряд" in page
    assert meeting.agenda.count() == 1


def test_a_long_text_with_spaces_and_hyphens_within_its_limit_is_accepted(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    text = prose(limits.DECISION - 30) + " научно-методического"

    response = new_question(client, meeting, decisions__0__text=text)

    assert response.status_code == 302
    assert Decision.objects.filter(agenda_item__meeting=meeting, text=text).exists()


def test_the_editor_says_the_limits_in_its_inputs(client, leader, draft_protocol):
    login(client, leader)

    page = client.get(f"{detail_url(draft_protocol.meeting)}?edit=new").content.decode()

    assert f'maxlength="{limits.QUESTION}"' in page
    assert f'maxlength="{limits.HEARD}"' in page
    assert f'maxlength="{limits.DECISION}"' in page
    assert f'maxlength="{limits.SPEECH}"' in page


def test_a_protocol_holds_at_most_30_questions(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    for order in range(2, limits.QUESTIONS + 1):
        DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=order))
    login(client, leader)

    response = new_question(client, meeting, question="Тридцать первый вопрос")

    assert response.status_code == 200
    assert "Не более 30 вопросов в повестке одного протокола." in response.content.decode()
    assert "Тридцать первый вопрос" in response.content.decode()
    assert meeting.agenda.count() == limits.QUESTIONS
    with pytest.raises(ValidationError, match="Не более 30 вопросов"):
        AgendaItem(meeting=meeting, order=31, question="Ещё").full_clean()


def test_the_protocol_text_as_a_whole_is_bounded(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    filled = limits.PROTOCOL_TEXT - meeting.protocol_text_length() - 1000
    for order in range(2, 2 + filled // limits.HEARD):
        AgendaItemFactory(meeting=meeting, order=order, question="В", heard=prose(limits.HEARD - 1))
    login(client, leader)

    response = new_question(client, meeting, heard=prose(limits.HEARD))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Текст протокола — не более {limits.PROTOCOL_TEXT} символов" in page
    assert not meeting.agenda.filter(question="О конкурсе").exists()  # the whole question is undone


def test_a_question_has_at_most_10_speakers_and_10_points(draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    for order in range(2, limits.SPEAKERS + 1):
        SpeakerFactory(agenda_item=item, order=order)
    for order in range(2, limits.DECISION_POINTS + 1):
        DecisionFactory(agenda_item=item, order=order)

    with pytest.raises(ValidationError, match="Не более 10 выступающих по одному вопросу"):
        Speaker(agenda_item=item, order=11, teacher=TeacherFactory()).full_clean()
    with pytest.raises(ValidationError, match="Не более 10 пунктов решения по одному вопросу"):
        Decision(agenda_item=item, order=11, text="Ещё", vote=Decision.Vote.NONE).full_clean()


def test_the_model_refuses_what_the_form_would(draft_protocol):
    item = draft_protocol.meeting.agenda.get()
    item.heard = "слово " * 2000  # 12,000 characters

    with pytest.raises(ValidationError) as error:
        item.full_clean()

    assert error.value.message_dict["heard"] == [f"Не более {limits.HEARD} символов: сейчас 12000. Сократите текст."]


def test_the_admin_refuses_a_200_kb_word_and_keeps_the_form(admin_client, draft_protocol):
    client = admin_client
    item = draft_protocol.meeting.agenda.get()
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    data = {
        "meeting": item.meeting_id,
        "order": item.order,
        "question": "Вопрос " + "ж" * 200_000,
        "heard": "Текст, который нельзя потерять.",
        **{f"{prefix}-{key}": value for prefix in ("speakers", "decisions") for key, value in EMPTY_INLINE.items()},
    }

    response = client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "не более 500 символов" in page.lower()
    assert "Текст, который нельзя потерять." in page
    item.refresh_from_db()
    assert "ж" not in item.question


EMPTY_INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_the_rules_list_the_limits_of_the_code():
    rules = (Path(settings.BASE_DIR) / "docs" / "rules.md").read_text(encoding="utf-8")

    assert limits.documented_table() in rules


def test_a_follow_up_question_quotes_long_assignments_within_its_limits(draft_protocol, leader, member):
    decision = Decision.objects.get(agenda_item__meeting=draft_protocol.meeting)
    for order in range(limits.ASSIGNMENTS):
        AssignmentFactory(decision=decision, responsible=member, text=f"{order}. {prose(limits.ASSIGNMENT - 3)}")
    protocol_sign(protocol=draft_protocol, user=leader.user)
    later = build_protocol(draft_protocol.community, leader, [leader, member], date=dt.date(2024, 11, 20))

    item = follow_up_question_add(meeting=later.meeting)

    assert item.follow_ups.count() == limits.ASSIGNMENTS
    assert len(item.heard) < limits.HEARD
    assert item.heard.count("…") == limits.ASSIGNMENTS


def test_with_htmx_a_word_too_long_comes_back_in_the_part_as_typed(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit={item.pk}"))[f"q{item.pk}"]
    data[f"q{item.pk}-heard"] = "Доклад о " + "ы" * 500

    response = client.post(reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk}), data, **HTMX)

    assert response.status_code == 422
    page = response.content.decode()
    assert "без пробела не переносится" in page
    assert "Доклад о " + "ы" * 500 in page
    item.refresh_from_db()
    assert item.heard == "Докладчик рассказала об опыте."


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        ("meetings.AgendaItem", "question", limits.QUESTION),
        ("meetings.AgendaItem", "heard", limits.HEARD),
        ("meetings.Speaker", "text", limits.SPEECH),
        ("meetings.Decision", "text", limits.DECISION),
        ("meetings.Assignment", "text", limits.ASSIGNMENT),
        ("meetings.Meeting", "topic", limits.MEETING_TOPIC),
        ("meetings.Meeting", "place", limits.MEETING_PLACE),
        ("meetings.Protocol", "attachments", limits.PROTOCOL_ATTACHMENTS),
        ("meetings.ProtocolCorrection", "text", limits.CORRECTION),
        ("meetings.Guest", "organization", limits.ORGANIZATION),
        ("communities.Community", "name", limits.COMMUNITY_NAME),
        ("communities.Community", "description", limits.DESCRIPTION),
        ("communities.AnnualPlan", "goals", limits.PLAN_TEXT),
        ("communities.AnnualPlan", "professional_needs", limits.PLAN_TEXT),
        ("communities.PlanItem", "topic", limits.PLAN_ITEM_TOPIC),
        ("communities.PlanItem", "expected_result", limits.PLAN_ITEM_RESULT),
        ("reports.AnnualReport", "results", limits.REPORT_TEXT),
        ("reports.AnnualReport", "review_comment", limits.COMMENT),
    ],
)
def test_every_printed_text_has_its_limit_on_the_model_field(model, field, limit):
    """The admin, the forms (``maxlength``) and the commands read these fields: each is bounded, and refuses a word
    that cannot wrap."""
    model_field = apps.get_model(model)._meta.get_field(field)

    assert model_field.max_length == limit
    assert model_field.formfield().widget.attrs["maxlength"] == str(limit)
    with pytest.raises(ValidationError, match="без пробела не переносится"):
        model_field.run_validators("а" * (limits.LONGEST_WORD + 1))
    model_field.run_validators("научно-методического " * 3 + "а" * limits.LONGEST_WORD)


def test_a_protocol_over_the_whole_limit_cannot_be_signed(draft_protocol, leader):
    """Text entered around the limits (the admin checks each text, not their sum) never becomes permanent."""
    meeting = draft_protocol.meeting
    for order in range(2, 2 + limits.PROTOCOL_TEXT // limits.HEARD + 1):
        DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=order, heard=prose(limits.HEARD)))
    protocol = load_protocol(draft_protocol.pk)

    problems = protocol.signing_problems(leader)

    length = meeting.protocol_text_length()
    assert length > limits.PROTOCOL_TEXT
    assert agenda_text_length(signing_agenda(protocol.meeting)) == length
    assert f"Текст протокола — не более {limits.PROTOCOL_TEXT} символов" in " ".join(problems)
    assert f"а в нём было бы {length}" in " ".join(problems)
