"""The audit trail and the community's history page: who, when and what changed, for the leader and methodists."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import (
    Acknowledgement,
    AnnualPlan,
    Community,
    LeaderAppointment,
    Material,
    Membership,
    Organization,
    PlanItem,
    Regulation,
    Teacher,
)
from communities.views.history import audited_models
from meetings.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    FollowUp,
    Guest,
    Meeting,
    PlanDiscussion,
    Protocol,
    Speaker,
)
from meetings.services import protocol_sign
from reports.models import AnnualReport
from tests.conftest import build_protocol
from tests.factories import (
    AnnualPlanFactory,
    AssignmentFactory,
    GuestFactory,
    MembershipFactory,
    PlanItemFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

MEETING_RECORDS = [
    Community,
    Membership,
    LeaderAppointment,
    AnnualPlan,
    PlanItem,
    Meeting,
    Attendance,
    Guest,
    AgendaItem,
    Speaker,
    Decision,
    Assignment,
    FollowUp,
    Protocol,
]
# Audited too (tests/communities/test_history_of_records.py); teachers and organizations belong to no community.
AUDITED = [*MEETING_RECORDS, PlanDiscussion, Material, Regulation, Acknowledgement, AnnualReport, Teacher, Organization]


def history_url(community, page=None):
    url = reverse("communities:history", args=[community.pk])
    return f"{url}?page={page}" if page else url


def edit(client, community, **changes):
    data = {"name": community.name, "theme": community.theme, "description": community.description, **changes}
    data["edited_version"] = Community.objects.get(pk=community.pk).version
    return client.post(reverse("communities:edit", args=[community.pk]), data)


def test_every_audited_model_has_a_history_with_its_community():
    assert {model.instance_type for model in audited_models()} == set(AUDITED)


def test_every_record_of_a_meeting_is_stamped_with_its_community(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    decision = protocol.meeting.agenda.get().decisions.get()
    assignment = AssignmentFactory(decision=decision, responsible=member)
    FollowUp.objects.create(agenda_item=decision.agenda_item, assignment=assignment)
    GuestFactory(meeting=protocol.meeting)
    PlanItemFactory(plan=AnnualPlanFactory(community=community))

    for model in MEETING_RECORDS:
        rows = model.history.filter(history_type="+")
        assert rows.exists(), model
        assert set(rows.values_list("history_community_id", flat=True)) == {community.pk}, model


def test_a_deletion_is_recorded_with_its_community(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    item = protocol.meeting.agenda.get()
    item_pk = item.pk

    item.delete()  # a draft: the question and its decision go

    deleted = Decision.history.filter(history_type="-").get()
    assert deleted.history_community_id == community.pk
    assert AgendaItem.history.filter(history_type="-", id=item_pk, history_community_id=community.pk).exists()


def test_the_leaders_edit_shows_who_when_and_what(client, community, leader):
    client.force_login(leader.user)
    before = timezone.now()

    assert edit(client, community, theme="Смысловое чтение").status_code == 302
    response = client.get(history_url(community))

    assert response.status_code == 200
    entry = response.context["entries"][0]
    assert entry.who == "Смирнова О.В. (leader)"
    assert entry.action == "изменение"
    assert entry.kind == "ПОС"
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("тема работы", "Формирующее оценивание", "Смысловое чтение")
    ]
    assert before <= entry.when <= timezone.now()
    page = response.content.decode()
    assert "Смысловое чтение" in page
    assert "<del>Формирующее оценивание</del>" in page


def test_the_user_of_the_request_is_recorded(client, community, leader):
    client.force_login(leader.user)

    edit(client, community, theme="Новая тема")

    record = Community.history.filter(history_type="~").latest()
    assert record.history_user == leader.user


def test_signing_is_recorded_and_the_signed_protocol_still_cannot_change(client, community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])

    signed = protocol_sign(protocol=protocol, user=leader.user)

    record = Protocol.history.filter(id=protocol.pk).latest()
    assert record.signed_at == signed.signed_at
    assert record.signed_by_id == leader.pk
    # The triggers guard the live tables only: the history tables take rows of a signed protocol...
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO meetings_historicalprotocol (id, meeting_id, community_id, academic_year, number, place, "
            "attachments, created_at, updated_at, history_date, history_type, history_community_id) "
            "SELECT id, meeting_id, community_id, academic_year, number, place, attachments, created_at, updated_at, "
            "%s, '~', community_id FROM meetings_protocol WHERE id = %s",
            [timezone.now(), protocol.pk],
        )
    # ...and the signed protocol itself is still refused by the database.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_protocol SET place = 'подделка' WHERE id = %s", [protocol.pk])
    protocol.refresh_from_db()
    assert protocol.place != "подделка"


def test_a_report_on_an_assignment_of_a_signed_protocol_is_recorded(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    assignment = AssignmentFactory(decision=protocol.meeting.agenda.get().decisions.get(), responsible=member)
    protocol_sign(protocol=protocol, user=leader.user)

    assignment.status = Assignment.Status.DONE
    assignment.done_on = dt.date(2024, 11, 1)
    assignment.report = "Проведён открытый урок."
    assignment.save()

    latest = Assignment.history.filter(id=assignment.pk).latest()
    assert (latest.history_type, latest.report, latest.history_community_id) == (
        "~",
        "Проведён открытый урок.",
        community.pk,
    )


def test_the_history_of_meetings_and_members_is_on_the_page(client, community, leader, member, methodist):
    meeting = build_protocol(community, leader, [leader, member]).meeting
    client.force_login(methodist)

    response = client.get(history_url(community))

    kinds = {entry.kind for entry in response.context["entries"]}
    assert {"заседание (мероприятие)", "протокол", "присутствие", "вопрос повестки", "решение"} <= kinds
    assert {"членство в ПОС", "приказ о назначении руководителя"} <= kinds
    membership = next(
        e for e in response.context["entries"] if e.kind == "членство в ПОС" and e.label == "Кузнецов И.П."
    )
    assert ("педагог", "", "Кузнецов И.П.") in [(c.field, c.old, c.new) for c in membership.changes]
    protocol = next(e for e in response.context["entries"] if e.kind == "протокол")
    changes = {c.field: c.new for c in protocol.changes}
    assert changes["заседание"] == f"15.10.2024: {meeting.topic}"
    assert changes["ПОС"] == community.name


def test_another_communitys_history_is_not_shown(client, community, leader, other_community, other_leader):
    MembershipFactory(community=other_community, teacher=TeacherFactory(surname="Чужаков"))
    client.force_login(leader.user)

    response = client.get(history_url(community))

    assert "Чужаков" not in response.content.decode()


def test_the_community_page_links_to_the_history_for_the_leader_only(client, community, leader, member):
    link = history_url(community)
    client.force_login(leader.user)
    assert link in client.get(reverse("communities:detail", args=[community.pk])).content.decode()

    client.force_login(member.user)
    assert link not in client.get(reverse("communities:detail", args=[community.pk])).content.decode()


def test_pages_of_the_history(client, community, leader):
    client.force_login(leader.user)
    for number in range(55):
        edit(client, community, theme=f"Тема {number}")

    first = client.get(history_url(community))
    second = client.get(history_url(community, page=2))

    assert len(first.context["entries"]) == 50
    assert first.context["next_page"] == 2
    assert first.context["entries"][0].changes[0].new == "Тема 54"
    assert second.context["previous_page"] == 1
    assert second.context["next_page"] is None
    assert client.get(history_url(community, page="x")).status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_query_count_does_not_grow_with_the_changes(client, community, leader, member):
    client.force_login(leader.user)
    edit(client, community, theme="Первая")
    one = _queries(client, history_url(community))

    for number in range(24):
        edit(client, community, theme=f"Тема {number}")
    many = _queries(client, history_url(community))

    assert Community.history.filter(history_type="~").count() == 25
    assert one == many


def test_values_are_shown_as_text(client, community, leader):
    client.force_login(leader.user)

    edit(client, community, theme="<script>alert(1)</script>")

    page = client.get(history_url(community)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
