"""Assignment pages: mine, the community's, and the report on one (also after the protocol is signed)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import Assignment, Decision, Protocol
from meetings.services import protocol_create, protocol_sign
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    DecisionFactory,
    MeetingFactory,
    MembershipFactory,
    TeacherFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FUTURE = dt.date(2099, 1, 1)


def login(client, teacher):
    client.force_login(teacher.user)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def colleague(community):
    """Another member of the community, with a login."""
    teacher = TeacherFactory(user=UserFactory(username="colleague"), surname="Коллегова")
    MembershipFactory(teacher=teacher, community=community)
    return teacher


@pytest.fixture
def signed_assignment(draft_protocol, leader, member):
    """The member's assignment, given by decision 1.1 of a protocol that was then signed."""
    assignment = AssignmentFactory(
        decision=Decision.objects.get(), responsible=member, text="Подготовить открытый урок", deadline=FUTURE
    )
    protocol_sign(protocol=draft_protocol, user=leader.user)
    return assignment


def new_assignment(community, responsible, *, deadline=FUTURE, order=1, signed=True, **kwargs):
    """An assignment of a meeting whose protocol is signed (``signed``: only those reach the members' lists)."""
    meeting = MeetingFactory(community=community)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=order), order=2)
    assignment = AssignmentFactory(decision=decision, responsible=responsible, deadline=deadline, **kwargs)
    protocol = protocol_create(meeting=meeting)
    if signed:
        Protocol.objects.filter(pk=protocol.pk).update(signed_at=timezone.now(), signed_by=responsible)
    return assignment


def report_url(assignment):
    return reverse("meetings:assignment_report", args=[assignment.pk])


# --- report -------------------------------------------------------------------------------------


def test_member_reports_after_the_protocol_is_signed_and_the_leader_accepts(client, signed_assignment, member, leader):
    login(client, member)

    form = client.get(report_url(signed_assignment))
    response = client.post(report_url(signed_assignment), {"done_on": "2024-11-20", "report": "Урок проведён."})

    assert form.status_code == 200
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in form.content.decode()
    assert response.status_code == 302
    signed_assignment.refresh_from_db()
    assert (signed_assignment.status, signed_assignment.done_on, signed_assignment.report) == (
        Assignment.Status.REVIEW,
        dt.date(2024, 11, 20),
        "Урок проведён.",
    )
    assert signed_assignment.text == "Подготовить открытый урок"
    page = client.get(response.url).content.decode()
    assert "Отчёт на проверке: выполнено 20.11.2024" in page
    assert "Урок проведён." in page
    review_list = client.get(reverse("meetings:my_assignments"), {"status": "review"}).content.decode()
    assert "Подготовить открытый урок" in review_list
    assert "на проверке" in review_list
    open_list = client.get(reverse("meetings:my_assignments")).content.decode()
    assert "Подготовить открытый урок" not in open_list

    login(client, leader)
    client.post(reverse("meetings:assignment_accept", args=[signed_assignment.pk]))

    login(client, member)
    done_list = client.get(reverse("meetings:my_assignments"), {"status": "done"}).content.decode()
    assert "Подготовить открытый урок" in done_list
    assert "выполнено" in done_list


def test_a_future_date_is_refused_keeping_the_report(client, signed_assignment, member):
    login(client, member)

    response = client.post(report_url(signed_assignment), {"done_on": "2099-01-01", "report": "Сделаю потом"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Дата выполнения не может быть в будущем." in text
    assert "Сделаю потом" in text
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.OPEN


def test_an_empty_date_is_refused(client, signed_assignment, member):
    login(client, member)

    response = client.post(report_url(signed_assignment), {"done_on": "", "report": "Готово"})

    assert response.status_code == 200
    assert "Укажите дату выполнения." in response.content.decode()
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.OPEN


def test_a_malformed_date_is_a_form_error(client, signed_assignment, member):
    login(client, member)

    response = client.post(report_url(signed_assignment), {"done_on": "вчера", "report": "Готово"})

    assert response.status_code == 200
    assert "Введите правильную дату." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_member_cannot_report_someone_elses_assignment(client, signed_assignment, colleague, method):
    login(client, colleague)

    response = getattr(client, method)(report_url(signed_assignment), {"done_on": "2024-11-20", "report": "Не моё"})

    assert response.status_code == 403
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.OPEN


@pytest.mark.parametrize("persona", ["outsider", "other_leader"])
def test_strangers_get_404(client, signed_assignment, persona, request):
    login(client, request.getfixturevalue(persona))

    response = client.post(report_url(signed_assignment), {"done_on": "2024-11-20", "report": "x"})

    assert response.status_code == 404
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.OPEN


def test_a_methodist_reads_but_does_not_report(client, signed_assignment, methodist):
    client.force_login(methodist)

    assert client.post(report_url(signed_assignment), {"done_on": "2024-11-20"}).status_code == 403
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.OPEN


def test_the_leader_reports_for_a_member_accepts_and_may_return_it(client, signed_assignment, leader):
    login(client, leader)

    client.post(report_url(signed_assignment), {"done_on": "2024-11-21", "report": "Проверено руководителем"})
    client.post(reverse("meetings:assignment_accept", args=[signed_assignment.pk]))
    signed_assignment.refresh_from_db()
    assert signed_assignment.status == Assignment.Status.DONE

    response = client.post(
        reverse("meetings:assignment_return", args=[signed_assignment.pk]), {"comment": "Нет конспекта урока."}
    )

    assert "Отчёт возвращён ответственному с замечанием." in messages_of(response)
    signed_assignment.refresh_from_db()
    assert (signed_assignment.status, signed_assignment.done_on) == (Assignment.Status.OPEN, None)
    assert signed_assignment.report == "Проверено руководителем"
    assert signed_assignment.return_comment == "Нет конспекта урока."


def test_a_report_is_final_for_the_member_until_withdrawn(client, signed_assignment, member):
    login(client, member)
    client.post(report_url(signed_assignment), {"done_on": "2024-11-20", "report": "Первый отчёт"})

    page = client.get(report_url(signed_assignment)).content.decode()
    again = client.post(report_url(signed_assignment), {"done_on": "2024-11-25", "report": "Второй отчёт"})
    accept = client.post(reverse("meetings:assignment_accept", args=[signed_assignment.pk]))

    assert "Отправить отчёт на проверку" not in page
    assert "Принять отчёт" not in page
    assert "Отозвать отчёт" in page
    assert again.status_code == 302
    assert "Поручение уже не в работе: на проверке." in messages_of(again)
    assert accept.status_code == 403
    signed_assignment.refresh_from_db()
    assert (signed_assignment.status, signed_assignment.report) == (Assignment.Status.REVIEW, "Первый отчёт")


def test_cancel_goes_back_to_the_list_the_reporter_came_from(client, community, signed_assignment, leader, member):
    mine = reverse("meetings:my_assignments")
    communitys = reverse("meetings:community_assignments", args=[community.pk])

    login(client, member)
    assert f'href="{mine}">Отмена' in client.get(report_url(signed_assignment)).content.decode()
    login(client, leader)
    assert f'href="{communitys}">Отмена' in client.get(report_url(signed_assignment)).content.decode()


def test_a_missing_assignment_is_404(client, member):
    login(client, member)

    assert client.get(reverse("meetings:assignment_report", args=[999999])).status_code == 404


def test_report_page_refuses_other_methods(client, signed_assignment, member):
    login(client, member)

    assert client.delete(report_url(signed_assignment)).status_code == 405


# --- my assignments -----------------------------------------------------------------------------


def test_my_assignments_shows_open_ones_with_community_meeting_and_decision(client, community, leader, member):
    overdue = new_assignment(community, member, deadline=dt.date(2024, 12, 1), text="Просроченное поручение", order=3)
    later = new_assignment(community, member, deadline=FUTURE, text="Будущее поручение")
    new_assignment(community, leader, text="Поручение руководителю")
    new_assignment(community, member, text="Уже сделано", status="done", done_on=dt.date(2024, 11, 1))
    login(client, member)

    response = client.get(reverse("meetings:my_assignments"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Просроченное поручение") < text.index("Будущее поручение")
    assert "Поручение руководителю" not in text
    assert "Уже сделано" not in text
    assert "просрочено" in text
    assert "решение 3.2" in text
    assert "ПОС учителей математики" in text
    assert "15.10.2024" in text
    assert f'href="{report_url(overdue)}">Отчитаться' in text
    assert f'href="{report_url(later)}">Отчитаться' in text


@pytest.mark.parametrize(
    ("status", "shown", "hidden"),
    [
        ("overdue", ["Просроченное"], ["Будущее", "Сделанное"]),
        ("done", ["Сделанное"], ["Просроченное", "Будущее"]),
        ("all", ["Просроченное", "Будущее", "Сделанное"], []),
        ("open", ["Просроченное", "Будущее"], ["Сделанное"]),
    ],
)
def test_my_assignments_filter(client, community, member, status, shown, hidden):
    new_assignment(community, member, deadline=dt.date(2024, 12, 1), text="Просроченное")
    new_assignment(community, member, deadline=FUTURE, text="Будущее")
    new_assignment(community, member, text="Сделанное", status="done", done_on=dt.date(2024, 11, 1))
    login(client, member)

    text = client.get(reverse("meetings:my_assignments"), {"status": status}).content.decode()

    assert all(word in text for word in shown)
    assert not any(word in text for word in hidden)


@pytest.mark.parametrize("params", [{"status": "abc"}, {"page": "x"}, {"page": "999"}, {"status": ""}])
def test_my_assignments_survives_bad_parameters(client, community, member, params):
    new_assignment(community, member, text="Открытое поручение")
    login(client, member)

    response = client.get(reverse("meetings:my_assignments"), params)

    assert response.status_code == 200
    assert "Открытое поручение" in response.content.decode()


def test_a_user_without_a_teacher_profile_sees_an_explanation(client, methodist):
    client.force_login(methodist)

    response = client.get(reverse("meetings:my_assignments"))

    assert response.status_code == 200
    assert "не связана с карточкой педагога" in response.content.decode()


def test_a_former_member_sees_their_assignment_but_cannot_report(client, community, colleague):
    assignment = new_assignment(community, colleague, text="Старое поручение")
    colleague.memberships.update(left_on=dt.date(2024, 12, 31))
    login(client, colleague)

    text = client.get(reverse("meetings:my_assignments")).content.decode()

    assert "Старое поручение" in text
    assert report_url(assignment) not in text
    assert client.get(report_url(assignment)).status_code == 404


def my_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("meetings:my_assignments"), {"status": "all"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode().count("<tr")


def test_my_assignments_queries_do_not_grow_with_rows(client, community, member, other_community):
    MembershipFactory(teacher=member, community=other_community)
    new_assignment(community, member)
    login(client, member)
    my_queries(client)
    one, rows_one = my_queries(client)
    for index in range(24):
        new_assignment(other_community if index % 2 else community, member, deadline=dt.date(2025, 1, index + 1))

    many, rows_many = my_queries(client)

    assert (rows_one, rows_many) == (2, 26)
    assert one == many


# --- community assignments ----------------------------------------------------------------------


def test_member_reads_the_communitys_assignments(client, community, leader, member, colleague):
    mine = new_assignment(community, member, text="Моё поручение")
    theirs = new_assignment(community, colleague, text="Поручение коллеги")
    login(client, member)

    response = client.get(reverse("meetings:community_assignments", args=[community.pk]))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Моё поручение" in text and "Поручение коллеги" in text
    assert "Кузнецов И.П." in text and "Коллегова А.П." in text
    assert report_url(mine) in text
    assert report_url(theirs) not in text


def test_leader_may_report_every_open_assignment(client, community, leader, member, colleague):
    first = new_assignment(community, member)
    second = new_assignment(community, colleague)
    login(client, leader)

    text = client.get(reverse("meetings:community_assignments", args=[community.pk])).content.decode()

    assert report_url(first) in text and report_url(second) in text


def test_community_assignments_filter_by_responsible_and_status(client, community, leader, member, colleague):
    new_assignment(community, member, text="Поручение Кузнецову")
    new_assignment(community, colleague, text="Поручение Коллеговой")
    new_assignment(community, member, text="Выполненное Кузнецовым", status="done", done_on=dt.date(2024, 11, 1))
    login(client, leader)
    url = reverse("meetings:community_assignments", args=[community.pk])

    by_member = client.get(url, {"responsible": member.pk}).content.decode()
    done = client.get(url, {"responsible": member.pk, "status": "done"}).content.decode()

    assert "Поручение Кузнецову" in by_member
    assert "Поручение Коллеговой" not in by_member
    assert "Выполненное Кузнецовым" not in by_member
    assert "Выполненное Кузнецовым" in done
    assert "Поручение Кузнецову" not in done


@pytest.mark.parametrize("value", ["abc", "999999", "foreign"])
def test_a_bad_or_foreign_responsible_is_shown_as_an_error_and_ignored(client, community, leader, member, value):
    foreign = TeacherFactory(surname="Чужой")
    new_assignment(community, member, text="Поручение Кузнецову")
    login(client, leader)

    response = client.get(
        reverse("meetings:community_assignments", args=[community.pk]),
        {"responsible": foreign.pk if value == "foreign" else value},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Такого ответственного в списке нет." in text
    assert "Поручение Кузнецову" in text


def test_another_communitys_assignments_are_not_listed(client, community, leader, other_community, other_leader):
    new_assignment(other_community, other_leader, text="Чужое поручение")
    login(client, leader)

    text = client.get(reverse("meetings:community_assignments", args=[community.pk])).content.decode()

    assert "Чужое поручение" not in text


def community_queries(client, community):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("meetings:community_assignments", args=[community.pk]), {"status": "all"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode().count("<tr")


def test_community_assignments_queries_do_not_grow_with_rows(client, community, leader, member, colleague):
    new_assignment(community, member)
    login(client, member)
    community_queries(client, community)
    one, rows_one = community_queries(client, community)
    for index in range(24):
        new_assignment(community, colleague if index % 2 else leader, deadline=dt.date(2025, 1, index + 1))

    many, rows_many = community_queries(client, community)

    assert (rows_one, rows_many) == (2, 26)
    assert one == many


def test_long_lists_are_paged_keeping_the_filter(client, community, member, monkeypatch):
    monkeypatch.setattr("meetings.views.assignments.PER_PAGE", 2)
    for day in (1, 2, 3):
        new_assignment(community, member, deadline=dt.date(2030, 1, day), text=f"Поручение {day}")
    login(client, member)

    first = client.get(reverse("meetings:my_assignments"), {"status": "all"}).content.decode()
    second = client.get(reverse("meetings:my_assignments"), {"status": "all", "page": "2"}).content.decode()

    assert "Поручение 1" in first and "Поручение 3" not in first
    assert "?status=all&amp;page=2" in first
    assert "Поручение 3" in second and "Поручение 1" not in second
