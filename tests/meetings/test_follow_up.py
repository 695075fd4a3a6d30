"""The follow-up of earlier decisions (issue 11, item 10): a new meeting can start with the question «О выполнении
решений предыдущего заседания», listing the live assignments still under control; its decision records per
assignment выполнено / продлить до / снять с контроля, and the statuses follow when that protocol is signed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import FOLLOW_UP_QUESTION, AgendaItem, Assignment, DeadlineChange, Decision, FollowUp, Meeting
from meetings.services import assignments as services
from meetings.services import protocol_sign
from tests.conftest import build_protocol
from tests.factories import AssignmentFactory, MembershipFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_DATE = dt.date(2025, 1, 15)


@pytest.fixture
def colleague(community):
    teacher = TeacherFactory(user=UserFactory(username="colleague"), surname="Коллегова")
    MembershipFactory(teacher=teacher, community=community)
    return teacher


@pytest.fixture
def earlier(draft_protocol, leader, member):
    """A signed protocol of 15.10.2024 with an overdue, a future and an accepted assignment; and an assignment of an
    unsigned draft of 20.11.2024."""
    decision = Decision.objects.get()
    overdue = AssignmentFactory(
        decision=decision, responsible=member, text="Провести урок", deadline=dt.date(2024, 12, 1)
    )
    future = AssignmentFactory(
        decision=decision, responsible=member, text="Подготовить статью", deadline=dt.date(2025, 5, 1)
    )
    accepted = AssignmentFactory(
        decision=decision, responsible=member, text="Сдать план", deadline=dt.date(2024, 11, 1)
    )
    protocol_sign(protocol=draft_protocol, user=leader.user)
    services.assignment_report(assignment=accepted, user=member.user, done_on=dt.date(2024, 10, 30), report="Сдан")
    services.assignment_accept(assignment=accepted, user=leader.user)
    draft = build_protocol(draft_protocol.community, leader, [leader, member], date=dt.date(2024, 11, 20))
    AssignmentFactory(decision=draft.meeting.agenda.get().decisions.get(), responsible=member, text="Черновое")
    return {"overdue": overdue, "future": future, "accepted": accepted}


def new_meeting(client, community, **overrides):
    data = {
        "plan_item": "",
        "form": "session",
        "date": f"{NEW_DATE:%Y-%m-%d}",
        "time": "15:30",
        "place": "каб. 5",
        "online_link": "",
        "topic": "Итоги полугодия",
        "status": Meeting.Status.HELD,
        "follow_up": "on",
        **overrides,
    }
    return client.post(reverse("meetings:create", args=[community.pk]), data)


def outcomes_data(item, meeting, choices):
    rows = list(item.follow_ups.order_by("assignment__deadline", "assignment__pk"))
    data = {"row-TOTAL_FORMS": len(rows), "row-INITIAL_FORMS": len(rows), "version": meeting.version}
    for index, row in enumerate(rows):
        outcome, new_deadline = choices.get(row.assignment_id, ("", ""))
        data |= {f"row-{index}-id": row.pk, f"row-{index}-outcome": outcome, f"row-{index}-new_deadline": new_deadline}
    return data


def test_a_new_meeting_starts_with_the_follow_up_of_live_assignments_under_control(client, community, leader, earlier):
    client.force_login(leader.user)

    response = new_meeting(client, community)

    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting__date=NEW_DATE)
    assert (item.order, item.question) == (1, FOLLOW_UP_QUESTION)
    assert "Провести урок" in item.heard and "просрочено" in item.heard
    assert "Подготовить статью" in item.heard
    assert "Сдать план" not in item.heard  # accepted
    assert "Черновое" not in item.heard  # its protocol is not signed
    assert set(item.follow_ups.values_list("assignment_id", flat=True)) == {
        earlier["overdue"].pk,
        earlier["future"].pk,
    }
    detail = client.get(response.url).content.decode()
    assert f'href="{reverse("meetings:follow_up", args=[item.pk])}"' in detail  # «Что выполнено»


def test_without_the_checkbox_no_question_and_a_planned_meeting_cannot_have_it(client, community, leader, earlier):
    client.force_login(leader.user)

    plain = new_meeting(client, community, follow_up="")
    ahead = timezone.localdate() + dt.timedelta(days=30)
    planned = new_meeting(client, community, status=Meeting.Status.PLANNED, date=ahead.isoformat())

    assert plain.status_code == 302
    assert not AgendaItem.objects.filter(meeting__date=NEW_DATE).exists()
    assert planned.status_code == 200
    assert "Вопрос о выполнении решений записывается в протокол проведённого заседания." in planned.content.decode()
    assert not Meeting.objects.filter(date=ahead).exists()


def test_statuses_follow_the_decision_when_the_protocol_is_signed(client, community, leader, member, earlier):
    client.force_login(leader.user)
    new_meeting(client, community)
    meeting = Meeting.objects.get(date=NEW_DATE)
    item = meeting.agenda.get()
    overdue, future = earlier["overdue"], earlier["future"]
    url = reverse("meetings:follow_up", args=[item.pk])

    saved = client.post(
        url, outcomes_data(item, meeting, {overdue.pk: ("done", ""), future.pk: ("extend", "2025-09-01")})
    )

    assert saved.status_code == 302
    decision = item.decisions.get()
    assert decision.text.splitlines()[0] == "По поручениям предыдущего заседания:"
    assert "– Считать выполненными поручения: «Провести урок»" in decision.text
    assert "– Продлить срок поручений: «Подготовить статью» (Кузнецов И.П.) — до 01.09.2025" in decision.text
    assert not any(line[:1].isdigit() for line in decision.text.splitlines())  # the point's «4.1.» is the number
    overdue.refresh_from_db()
    assert overdue.status == Assignment.Status.OPEN  # not before signing

    meeting.attendance_confirm(leader)  # the leader checked who was there
    protocol_sign(protocol=meeting.protocol, user=leader.user)

    overdue.refresh_from_db()
    future.refresh_from_db()
    assert (overdue.status, overdue.done_on) == (Assignment.Status.DONE, NEW_DATE)
    assert future.deadline == dt.date(2025, 9, 1)
    change = DeadlineChange.objects.get(assignment=future)
    assert change.protocol == meeting.protocol
    assert change.reason == f"Решение протокола № {meeting.protocol.number} от 15.01.2025"
    client.force_login(member.user)
    assert "01.09.2025" in client.get(reverse("meetings:assignment_report", args=[future.pk])).content.decode()


def test_taken_off_control_leaves_the_members_open_list(client, community, leader, member, earlier):
    client.force_login(leader.user)
    new_meeting(client, community)
    meeting = Meeting.objects.get(date=NEW_DATE)
    item = meeting.agenda.get()
    client.post(
        reverse("meetings:follow_up", args=[item.pk]),
        outcomes_data(item, meeting, {earlier["overdue"].pk: ("cancel", "")}),
    )
    meeting.attendance_confirm(leader)  # the leader checked who was there
    protocol_sign(protocol=meeting.protocol, user=leader.user)

    earlier["overdue"].refresh_from_db()
    assert earlier["overdue"].status == Assignment.Status.CANCELLED
    client.force_login(member.user)
    mine = client.get(reverse("meetings:my_assignments")).content.decode()
    assert "Провести урок" not in mine
    assert "Подготовить статью" in mine  # kept under control


def test_extend_needs_a_later_date(client, community, leader, earlier):
    client.force_login(leader.user)
    new_meeting(client, community)
    meeting = Meeting.objects.get(date=NEW_DATE)
    item = meeting.agenda.get()

    response = client.post(
        reverse("meetings:follow_up", args=[item.pk]),
        outcomes_data(item, meeting, {earlier["future"].pk: ("extend", "")}),
    )

    assert response.status_code == 200
    assert "Укажите, до какой даты продлить срок." in response.content.decode()
    assert not FollowUp.objects.exclude(outcome="").exists()


def test_the_question_is_added_to_an_existing_draft_once(client, community, leader, earlier):
    client.force_login(leader.user)
    new_meeting(client, community, follow_up="")
    meeting = Meeting.objects.get(date=NEW_DATE)
    url = reverse("meetings:follow_up_add", args=[meeting.pk])

    first = client.post(url)
    second = client.post(url, follow=True)

    item = meeting.agenda.get()
    assert first.url == reverse("meetings:follow_up", args=[item.pk])
    assert "Вопрос о выполнении решений уже есть в повестке." in second.content.decode()
    assert item.follow_ups.count() == 2


@pytest.mark.parametrize(
    ("persona", "page", "add"),
    [
        ("member", 403, 403),
        ("colleague", 403, 403),
        ("leader", 200, 302),
        ("other_leader", 404, 404),
        ("outsider", 404, 404),
        ("methodist", 403, 403),
    ],
)
def test_follow_up_pages_per_role(client, community, leader, member, colleague, earlier, persona, page, add, request):
    meeting = build_protocol(community, leader, [leader, member], date=NEW_DATE).meeting
    item = services.follow_up_question_add(meeting=meeting)
    if persona == "methodist":
        client.force_login(request.getfixturevalue("methodist"))
    else:
        client.force_login(request.getfixturevalue(persona).user)

    assert client.get(reverse("meetings:follow_up", args=[item.pk])).status_code == page
    response = client.post(reverse("meetings:follow_up_add", args=[meeting.pk]))
    assert response.status_code == add
    assert AgendaItem.objects.filter(meeting=meeting, question=FOLLOW_UP_QUESTION).count() == 1
