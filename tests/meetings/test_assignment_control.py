"""Assignments under control (issue 11, item 9): they reach the members only once the protocol is signed; a report
needs text or a file (checked like a material's, downloaded through the access check); the leader accepts it or
returns it with a comment; the member withdraws it before acceptance; the leader moves a deadline with a reason."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Assignment, DeadlineChange, Decision
from meetings.services import assignments as services
from meetings.services import protocol_sign
from pos_portal.academic_year import AcademicYear
from reports.annual_figures import annual_figures
from reports.compliance import compliance_for_year
from tests.factories import AssignmentFactory, MembershipFactory, TeacherFactory, UserFactory
from tests.files import pdf_bytes
from tests.responses import read_body

pytestmark = pytest.mark.django_db

PAST_DEADLINE = dt.date(2024, 12, 1)
PDF = pdf_bytes()  # a genuine PDF: uploads are checked by content (communities/file_content.py)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def colleague(community):
    teacher = TeacherFactory(user=UserFactory(username="colleague"), surname="Коллегова")
    MembershipFactory(teacher=teacher, community=community)
    return teacher


@pytest.fixture
def draft_assignment(draft_protocol, member):
    """An overdue assignment of a protocol not signed yet."""
    return AssignmentFactory(
        decision=Decision.objects.get(), responsible=member, text="Провести открытый урок", deadline=PAST_DEADLINE
    )


@pytest.fixture
def live(draft_assignment, draft_protocol, leader):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    draft_assignment.refresh_from_db()
    return draft_assignment


def page_url(assignment):
    return reverse("meetings:assignment_report", args=[assignment.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def reported(assignment, member, **kwargs):
    return services.assignment_report(
        assignment=assignment, user=member.user, done_on=dt.date(2024, 11, 20), report=kwargs.pop("report", "Готово")
    )


# --- live only once signed ------------------------------------------------------------------------


def test_a_drafts_assignments_reach_nobody_until_the_protocol_is_signed(
    client, community, draft_assignment, draft_protocol, leader, member
):
    client.force_login(member.user)
    paths = [
        reverse("meetings:my_assignments") + "?status=all",
        reverse("meetings:community_assignments", args=[community.pk]) + "?status=all",
        reverse("home"),
    ]
    today = dt.date(2025, 1, 10)
    year = AcademicYear(2024)

    before = [client.get(path).content.decode() for path in paths]
    counts_before = (
        Assignment.objects.open().count(),
        Assignment.objects.overdue(today).count(),
        annual_figures(community, year, today=today).assignments_overdue,
    )
    report_before = client.get(page_url(draft_assignment)).status_code

    protocol_sign(protocol=draft_protocol, user=leader.user)

    after = [client.get(path).content.decode() for path in paths]
    assert ["Провести открытый урок" in text for text in before] == [False, False, False]
    assert ["Провести открытый урок" in text for text in after] == [True, True, True]
    assert counts_before == (0, 0, 0)
    assert (
        Assignment.objects.open().count(),
        Assignment.objects.overdue(today).count(),
        annual_figures(community, year, today=today).assignments_overdue,
    ) == (1, 1, 1)
    assert report_before == 404
    assert client.get(page_url(draft_assignment)).status_code == 200


def test_the_ioc_dashboard_counts_only_live_overdue_assignments(draft_assignment, draft_protocol, leader):
    year = AcademicYear(2024)
    today = dt.date(2025, 1, 10)
    before = sum(row.overdue_assignments for row in compliance_for_year(year, today=today))
    protocol_sign(protocol=draft_protocol, user=leader.user)
    after = sum(row.overdue_assignments for row in compliance_for_year(year, today=today))

    assert (before, after) == (0, 1)


# --- the report -----------------------------------------------------------------------------------


def test_a_report_needs_text_or_a_file(client, live, member):
    client.force_login(member.user)

    response = client.post(page_url(live), {"done_on": "2024-11-20", "report": "   "})

    assert response.status_code == 200
    assert "Напишите, что сделано, или приложите файл отчёта." in response.content.decode()
    live.refresh_from_db()
    assert live.status == Assignment.Status.OPEN


def test_a_report_file_goes_through_the_materials_check(client, live, member):
    client.force_login(member.user)
    fake = SimpleUploadedFile("otchet.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    response = client.post(page_url(live), {"done_on": "2024-11-20", "report": "", "report_file": fake})

    assert response.status_code == 200
    assert "Содержимое файла не соответствует расширению «.pdf»." in response.content.decode()
    live.refresh_from_db()
    assert (live.status, bool(live.report_file)) == (Assignment.Status.OPEN, False)


def test_a_report_with_only_a_file_is_sent_and_downloaded_by_readers(client, live, member, methodist, outsider):
    client.force_login(member.user)
    upload = SimpleUploadedFile("Отчёт о уроке.pdf", PDF, content_type="application/pdf")

    response = client.post(page_url(live), {"done_on": "2024-11-20", "report": "", "report_file": upload})

    assert response.status_code == 302
    live.refresh_from_db()
    assert (live.status, live.report_file_name) == (Assignment.Status.REVIEW, "Отчёт о уроке.pdf")
    file_url = reverse("meetings:assignment_file", args=[live.pk])
    assert file_url in client.get(page_url(live)).content.decode()
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    client.force_login(methodist)
    by_methodist = client.get(file_url)
    assert (by_methodist.status_code, read_body(by_methodist)) == (200, PDF)
    client.force_login(outsider.user)
    assert client.get(file_url).status_code == 404


def test_the_member_withdraws_a_report_not_yet_accepted_and_edits_it(client, live, member):
    client.force_login(member.user)
    client.post(page_url(live), {"done_on": "2024-11-20", "report": "Черновой отчёт"})

    response = client.post(reverse("meetings:assignment_withdraw", args=[live.pk]))

    assert "Отчёт отозван: поручение снова в работе, отчёт можно исправить." in messages_of(response)
    live.refresh_from_db()
    assert (live.status, live.done_on) == (Assignment.Status.OPEN, None)
    assert "Черновой отчёт" in client.get(page_url(live)).content.decode()  # kept in the form to edit


def test_an_accepted_report_cannot_be_withdrawn(client, live, member, leader):
    reported(live, member)
    services.assignment_accept(assignment=live, user=leader.user)
    client.force_login(member.user)

    response = client.post(reverse("meetings:assignment_withdraw", args=[live.pk]))

    assert "Отозвать можно только отчёт, который ещё не принят." in messages_of(response)
    live.refresh_from_db()
    assert live.status == Assignment.Status.DONE


def test_the_leader_returns_a_report_with_a_comment_the_member_sees(client, live, member, leader):
    reported(live, member)
    client.force_login(leader.user)
    url = reverse("meetings:assignment_return", args=[live.pk])

    empty = client.post(url, {"comment": " "})
    returned = client.post(url, {"comment": "Приложите конспект урока."})

    assert empty.status_code == 200
    assert "Напишите, что нужно доделать" in empty.content.decode()
    assert returned.status_code == 302
    live.refresh_from_db()
    assert (live.status, live.return_comment) == (Assignment.Status.OPEN, "Приложите конспект урока.")
    client.force_login(member.user)
    page = client.get(page_url(live)).content.decode()
    assert "Отчёт возвращён руководителем" in page and "Приложите конспект урока." in page
    assert "Отправить отчёт на проверку" in page


def test_a_report_under_review_is_not_overdue_and_an_accepted_one_is_done(live, member, leader):
    today = dt.date(2025, 1, 10)
    assert Assignment.objects.overdue(today).count() == 1
    reported(live, member)
    assert Assignment.objects.overdue(today).count() == 0
    services.assignment_accept(assignment=live, user=leader.user)
    live.refresh_from_db()
    assert (live.status, live.done_on) == (Assignment.Status.DONE, dt.date(2024, 11, 20))


# --- the deadline moved -----------------------------------------------------------------------------


def test_the_leader_moves_a_deadline_with_a_reason_kept_in_the_history(client, live, member, leader):
    client.force_login(leader.user)
    url = reverse("meetings:assignment_deadline", args=[live.pk])

    no_reason = client.post(url, {"new_deadline": "2025-02-01", "reason": ""})
    moved = client.post(url, {"new_deadline": "2025-02-01", "reason": "Урок перенесён на февраль."})

    assert no_reason.status_code == 200
    assert "Укажите причину переноса срока." in no_reason.content.decode()
    assert moved.status_code == 302
    live.refresh_from_db()
    assert live.deadline == dt.date(2025, 2, 1)
    change = DeadlineChange.objects.get()
    assert (change.old_deadline, change.new_deadline, change.changed_by) == (PAST_DEADLINE, live.deadline, leader)
    client.force_login(member.user)
    page = client.get(page_url(live)).content.decode()
    assert "01.12.2024 → 01.02.2025: Урок перенесён на февраль." in page
    with pytest.raises(ValidationError):
        change.delete()


def test_a_deadline_before_the_meeting_is_refused(client, live, leader):
    client.force_login(leader.user)

    response = client.post(
        reverse("meetings:assignment_deadline", args=[live.pk]), {"new_deadline": "2024-01-01", "reason": "Ошибка"}
    )

    assert "Новый срок не может быть раньше заседания" in response.content.decode()
    assert DeadlineChange.objects.count() == 0


# --- permissions of the new pages, per role -------------------------------------------------------------

ACTIONS = {
    # name: (method, data, a state to prepare, the status expected per persona)
    "assignment_withdraw": ("post", {}, "review", {"member": 302, "colleague": 403, "leader": 302}),
    "assignment_accept": ("post", {}, "review", {"member": 403, "colleague": 403, "leader": 302}),
    "assignment_return": (
        "post",
        {"comment": "Доработать"},
        "review",
        {"member": 403, "colleague": 403, "leader": 302},
    ),
    "assignment_deadline": (
        "post",
        {"new_deadline": "2025-03-01", "reason": "Перенос"},
        "open",
        {"member": 403, "colleague": 403, "leader": 302},
    ),
    "assignment_file": ("get", {}, "file", {"member": 200, "colleague": 200, "leader": 200}),
}
STRANGERS = {"other_leader": 404, "outsider": 404}


def login_persona(client, persona, request):
    if persona == "methodist":
        client.force_login(request.getfixturevalue("methodist"))
    else:
        client.force_login(request.getfixturevalue(persona).user)


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize("persona", ["member", "colleague", "leader", "other_leader", "outsider", "methodist"])
def test_each_new_view_per_role(client, live, member, colleague, name, persona, request):
    method, data, state, expected = ACTIONS[name]
    if state in ("review", "file"):
        upload = SimpleUploadedFile("r.pdf", PDF) if state == "file" else None
        services.assignment_report(
            assignment=live, user=member.user, done_on=dt.date(2024, 11, 20), report="Готово", report_file=upload
        )
    login_persona(client, persona, request)
    methodist_status = 200 if name == "assignment_file" else 403

    response = getattr(client, method)(reverse(f"meetings:{name}", args=[live.pk]), data)
    read_body(response)  # a download is read (and closed) as a server would

    assert response.status_code == {**expected, **STRANGERS, "methodist": methodist_status}[persona]
    live.refresh_from_db()
    if response.status_code in (403, 404) and state == "review":
        assert live.status == Assignment.Status.REVIEW
    if response.status_code in (403, 404) and name == "assignment_deadline":
        assert live.deadline == PAST_DEADLINE


def test_the_services_hold_the_rules_whoever_calls_them(live, member, leader, colleague):
    """The model layer refuses on its own (the admin, a command): only the leader accepts or returns, with a
    comment; only the responsible member (or the leader) reports, and only a live assignment."""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reported(live, colleague)
    reported(live, member)
    with pytest.raises(PermissionDenied):
        services.assignment_accept(assignment=live, user=member.user)
    with pytest.raises(ValidationError) as blank:
        services.assignment_return(assignment=live, user=leader.user, comment="  ")
    assert blank.value.message_dict == {"comment": [services.RETURN_COMMENT_MESSAGE]}
    with pytest.raises(PermissionDenied):
        services.assignment_move_deadline(
            assignment=live, user=member.user, new_deadline=dt.date(2025, 3, 1), reason="Сам себе продлил"
        )


def test_a_drafts_assignment_cannot_be_reported(draft_assignment, member):
    with pytest.raises(ValidationError) as error:
        reported(draft_assignment, member)
    assert error.value.messages == [services.NOT_LIVE_MESSAGE]
