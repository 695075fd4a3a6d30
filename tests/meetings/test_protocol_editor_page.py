"""The protocol written on the meeting page (meetings/views/editor.py): each part its own form, plain forms without
JavaScript and swapped fragments with htmx, the version conflict kept, a fixed number of queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import AgendaItem, Attendance, Decision
from tests.browser_forms import _FormParser, login, text
from tests.conftest import build_protocol
from tests.factories import (
    PAST_YEAR_START,
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MembershipFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})


def part_forms(response) -> dict[str, dict]:
    """The forms of the page's parts, by part: what a browser would submit from each."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    return {
        form["fields"]["part"]: {name: value for name, value in form["fields"].items() if value is not None}
        for form in parser.forms
        if "part" in form["fields"]
    }


def test_the_leader_writes_the_protocol_on_the_meeting_page_and_readers_see_the_document(
    client, leader, member, draft_protocol
):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    login(client, leader)

    page = client.get(detail_url(meeting))
    parts = part_forms(client.get(f"{detail_url(meeting)}?edit={item.pk}"))

    # The questions as read, each with «Изменить», and «Добавить вопрос»: their forms open on demand.
    assert set(part_forms(page)) == {"attendance"}
    assert f"?edit={item.pk}#q{item.pk}" in page.content.decode()
    assert set(parts) == {"attendance", f"q{item.pk}"}
    assert parts[f"q{item.pk}"][f"q{item.pk}-question"] == item.question
    login(client, member)
    page = client.get(detail_url(meeting))
    assert part_forms(page) == {}
    assert "СЛУШАЛИ:" in text(page)


def test_without_javascript_a_new_question_is_saved_and_the_page_comes_back_at_it(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit=new"))["new"]
    data.update({"new-question": "О конкурсе", "new-heard": "Рассказала.", "new-decisions-0-text": "Участвовать."})

    response = client.post(reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk}), data)

    added = meeting.agenda.get(question="О конкурсе")
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(meeting)}#q{added.pk}"
    assert added.order == 2
    assert [d.text for d in added.decisions.all()] == ["Участвовать."]


def test_without_javascript_a_part_with_errors_comes_back_in_the_page_as_typed(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit=new"))["new"]
    data.update({"new-question": "", "new-heard": "Текст, который нельзя потерять."})

    response = client.post(reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk}), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert 'href="#id_new-question"' in page  # the error summary links to the field
    assert 'href="#id_new-decisions-0-text"' in page
    assert "Текст, который нельзя потерять." in page
    assert set(part_forms(response)) == {"attendance", "new"}  # the other parts, as stored
    assert meeting.agenda.count() == 1


def test_with_htmx_a_new_question_is_a_fragment_added_to_the_questions(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit=new"))["new"]
    data.update({"new-question": "О конкурсе", "new-decisions-0-text": "Участвовать."})

    response = client.post(reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk}), data, **HTMX)

    added = meeting.agenda.get(question="О конкурсе")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#questions", "beforeend")
    changed = json.loads(response["HX-Trigger"])["protocolChanged"]
    meeting.refresh_from_db()
    assert changed == {"version": meeting.version, "order": [meeting.agenda.get(order=1).pk, added.pk]}
    assert f'id="q{added.pk}"' in page and "data-focus" in page
    # The new empty form and the preview come out of band.
    assert 'id="new" data-focus' not in page
    assert page.count('hx-swap-oob="true"') == 3
    assert "О конкурсе" in page.split('id="protocol-preview"')[1]


def test_with_htmx_errors_come_back_in_the_part_with_links_to_the_fields(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    login(client, leader)
    opened = client.get(reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk}), **HTMX)  # «Изменить»
    assert "<html" not in opened.content.decode()
    data = part_forms(opened)[f"q{item.pk}"]
    data.update({f"q{item.pk}-question": "", f"q{item.pk}-heard": "Набранный текст"})

    response = client.post(reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk}), data, **HTMX)

    page = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in page and "hx-swap-oob" not in page
    assert f'href="#id_q{item.pk}-question"' in page
    assert "Набранный текст" in page


def test_with_htmx_a_stale_version_is_a_conflict_that_keeps_what_was_typed(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    login(client, leader)
    parts = part_forms(client.get(f"{detail_url(meeting)}?edit={item.pk}"))
    attendance = parts["attendance"]
    client.post(reverse("meetings:attendance", kwargs={"meeting_pk": meeting.pk}), attendance, **HTMX)
    data = parts[f"q{item.pk}"]  # opened on the version before that save
    data[f"q{item.pk}-heard"] = "Не потерять"

    response = client.post(reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk}), data, **HTMX)

    assert response.status_code == 409
    assert 'id="edit-conflict"' in response.content.decode()
    assert "Не потерять" in response.content.decode()
    item.refresh_from_db()
    assert item.heard != "Не потерять"


def test_the_attendance_part_saves_in_place(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = part_forms(client.get(detail_url(meeting)))["attendance"]
    row = next(
        key[: -len("-teacher")] for key, value in data.items() if key.endswith("-teacher") and value == str(member.pk)
    )
    data.pop(f"{row}-present")
    data[f"{row}-absence_reason"] = "болезнь"

    response = client.post(reverse("meetings:attendance", kwargs={"meeting_pk": meeting.pk}), data)

    assert response["Location"] == f"{detail_url(meeting)}#attendance"
    assert Attendance.objects.get(meeting=meeting, teacher=member).absence_reason == "болезнь"


def test_questions_move_up_and_down_with_their_decisions(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    first = meeting.agenda.get()
    second = AgendaItemFactory(meeting=meeting, order=2, question="Второй")
    DecisionFactory(agenda_item=second)
    login(client, leader)
    url = reverse("meetings:agenda_move", kwargs={"item_pk": second.pk})

    response = client.post(url, {"version": meeting.version, "direction": "up"}, **HTMX)

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"])["protocolChanged"]["order"] == [second.pk, first.pk]
    assert meeting.agenda.order_by("order").first().question == "Второй"
    assert Decision.objects.select_related("agenda_item").get(agenda_item=second).number == "1.1"
    meeting.refresh_from_db()
    response = client.post(url, {"version": meeting.version, "direction": "down"})
    assert response["Location"] == f"{detail_url(meeting)}#questions"
    assert list(meeting.agenda.order_by("order").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_the_editor_page_has_no_inline_code(client, leader, draft_protocol):
    login(client, leader)
    page = client.get(detail_url(draft_protocol.meeting)).content.decode()

    assert "hx-post" in page
    assert "hx-on" not in page
    assert "<script>" not in page and " style=" not in page and "<style" not in page
    assert '"includeIndicatorStyles":false' in page and '"allowEval":false' in page


def editor_queries(client, community, leader, questions: int) -> int:
    members = [leader]
    for _ in range(11):
        teacher = TeacherFactory()
        MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
        members.append(teacher)
    protocol = build_protocol(community, leader, members, questions=questions)
    for item in AgendaItem.objects.filter(meeting=protocol.meeting):
        DecisionFactory(agenda_item=item, order=2)
    login(client, leader)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(protocol.meeting))
    assert response.content.decode().count("data-question=") == questions
    return len(queries.captured_queries)


def test_the_editor_page_reads_the_same_number_of_queries_for_1_and_30_questions(
    client, community, leader, other_community, other_leader
):
    one = editor_queries(client, community, leader, 1)
    thirty = editor_queries(client, other_community, other_leader, 30)

    print(f"meeting page (draft, leader): {one} queries for 1 question, {thirty} for 30")
    assert one == thirty


def test_decision_points_take_the_order_of_their_numbers(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    item = meeting.agenda.get()
    first = item.decisions.get()
    second = DecisionFactory(agenda_item=item, order=2, text="Второй пункт")
    AssignmentFactory(decision=second, responsible=member)
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit={item.pk}"))[f"q{item.pk}"]
    prefix = f"q{item.pk}-decisions"
    assert (data[f"{prefix}-0-ORDER"], data[f"{prefix}-1-ORDER"]) == ("1", "2")
    data.update({f"{prefix}-0-ORDER": "2", f"{prefix}-1-ORDER": "1"})  # «↓» on the first point

    response = client.post(reverse("meetings:agenda_edit", kwargs={"item_pk": item.pk}), data)

    assert response.status_code == 302
    assert list(item.decisions.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    assert second.assignments.get().responsible == member


def test_with_htmx_a_new_question_sent_twice_is_added_once(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = part_forms(client.get(f"{detail_url(meeting)}?edit=new"))["new"]
    data.update({"new-question": "О конкурсе", "new-decisions-0-text": "Участвовать."})
    url = reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk})

    first = client.post(url, data, **HTMX)
    data["version"] = str(meeting.version + 1)  # even with the version the page moved to
    second = client.post(url, data, **HTMX)

    added = meeting.agenda.get(question="О конкурсе")
    assert first.status_code == 200
    assert (second.status_code, second["HX-Redirect"]) == (204, f"{detail_url(meeting)}#q{added.pk}")
