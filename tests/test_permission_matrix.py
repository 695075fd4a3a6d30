"""Every named URL of the portal against every persona, generated from the URLconf.

A URL added to the portal without a row here fails ``test_every_portal_url_has_a_row``.
Each row says how the URL is called (GET, or POST for actions) and the status each persona
gets. Outsiders get 404 (they must not learn the community exists), readers who try a
leader's action get 403, the anonymous visitor is sent to the login page.
"""

import datetime as dt
import shutil
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communities.models import Material
from meetings.models import CalendarFeed
from meetings.services import protocol_correct, protocol_sign
from meetings.services.assignments import follow_up_question_add
from notifications.mail import unsubscribe_token
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from reports.models import ProtocolDocument
from reports.services import annual_report_save, annual_report_start, annual_report_submit
from tests.conftest import FAST_HASHERS, appoint, build_protocol, teacher_with_login
from tests.factories import (
    PAST_YEAR_START,
    AnnualPlanFactory,
    AssignmentFactory,
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    PlanItemFactory,
    RegulationFactory,
    UserFactory,
    submit_directly,
)
from tests.responses import read_body

PERSONAS = ("anonymous", "outsider", "member", "other_leader", "leader", "methodist", "department")
LOGIN = 302  # anonymous: redirect to the login page


@dataclass
class Row:
    method: str
    kwargs: str  # which object of the world fills the URL
    expected: dict = field(default_factory=dict)

    def status(self, persona):
        return self.expected[persona]


def statuses(default, **overrides):
    result = dict.fromkeys(PERSONAS, default)
    result["anonymous"] = LOGIN
    result.update(overrides)
    return result


# Who reads a community's pages: its members and leader, methodists, the Department.
READ = statuses(200, outsider=404, other_leader=404)
# Who manages a community: its leader and the Department; members 403, methodists 403.
MANAGE = statuses(200, outsider=404, other_leader=404, member=403, methodist=403)
# POST actions of a leader: a redirect when allowed.
MANAGE_POST = statuses(302, outsider=404, other_leader=404, member=403, methodist=403)
EVERYONE = statuses(200)
METHODISTS_ONLY = statuses(403, methodist=200, department=200)
LEADER_ONLY = statuses(403, outsider=404, other_leader=404, leader=200)
LEADER_ONLY_POST = statuses(403, outsider=404, other_leader=404, leader=302)

MATRIX = {
    "home": Row("GET", "none", EVERYONE),
    "communities:list": Row("GET", "none", EVERYONE),
    "communities:create": Row("GET", "none", METHODISTS_ONLY),
    "communities:detail": Row("GET", "community", READ),
    "communities:edit": Row("GET", "community", statuses(200, outsider=404, other_leader=404, member=403)),
    # The audit trail: the leader, methodists and the Department.
    "communities:history": Row("GET", "community", statuses(200, outsider=404, other_leader=404, member=403)),
    "communities:member_add": Row("GET", "community", MANAGE),
    "communities:member_edit": Row("GET", "membership", MANAGE),
    "communities:member_end": Row("POST", "membership", MANAGE_POST),
    "communities:plan_create": Row("GET", "community", MANAGE),
    "communities:plan_copy": Row("POST", "community", MANAGE_POST),
    "communities:plan_detail": Row("GET", "plan", READ),
    "communities:plan_edit": Row("GET", "plan", MANAGE),
    # The leader sends the plan with the protocol that discussed it; a methodist or the Department approves or
    # returns it (an empty decision comes back with its errors), never the leader.
    "meetings:plan_submit": Row("GET", "plan", LEADER_ONLY),
    "communities:plan_review": Row(
        "POST", "submitted_plan", statuses(400, outsider=404, other_leader=404, member=403, leader=403)
    ),
    "communities:regulations": Row("GET", "none", EVERYONE),
    "communities:regulation_detail": Row("GET", "regulation", READ),
    # The community's own regulation: its leader, the methodists and the Department.
    "communities:regulation_create": Row("GET", "community", statuses(200, outsider=404, other_leader=404, member=403)),
    # Members acknowledge; others with no teacher profile or no membership cannot.
    "communities:regulation_acknowledge": Row(
        "POST", "regulation", statuses(302, outsider=404, other_leader=404, methodist=403, department=403)
    ),
    "communities:regulation_file": Row("GET", "regulation", READ),
    "communities:material_add": Row("GET", "community", statuses(200, outsider=404, other_leader=404, methodist=403)),
    "communities:material_download": Row("GET", "material", READ),
    "communities:material_delete": Row("POST", "material", MANAGE_POST),
    "communities:teachers": Row("GET", "none", METHODISTS_ONLY),
    "meetings:create": Row("GET", "community", MANAGE),
    "meetings:detail": Row("GET", "draft_meeting", READ),
    "meetings:edit": Row("GET", "draft_meeting", MANAGE),
    "meetings:attendance": Row("GET", "draft_meeting", MANAGE),
    "meetings:agenda_add": Row("GET", "draft_meeting", MANAGE),
    "meetings:agenda_edit": Row("GET", "agenda_item", MANAGE),
    "meetings:agenda_delete": Row("POST", "agenda_item", MANAGE_POST),
    "meetings:agenda_move": Row("POST", "agenda_item", MANAGE_POST),
    "meetings:sign": Row("GET", "draft_meeting", MANAGE),
    # An empty correction form is re-rendered with its errors.
    "meetings:correction": Row("POST", "signed_meeting", MANAGE),
    "meetings:my_assignments": Row("GET", "none", EVERYONE),
    "meetings:community_assignments": Row("GET", "community", READ),
    # The responsible member reports; the leader and the Department may too; other readers 403.
    "meetings:assignment_report": Row(
        "GET", "assignment", statuses(200, outsider=404, other_leader=404, methodist=403)
    ),
    # The world's assignment is in work: a withdrawal or an acceptance is refused with a message (a redirect), an
    # empty return or deadline form comes back with its errors.
    "meetings:assignment_withdraw": Row(
        "POST", "assignment", statuses(302, outsider=404, other_leader=404, methodist=403)
    ),
    "meetings:assignment_accept": Row("POST", "assignment", MANAGE_POST),
    "meetings:assignment_return": Row("POST", "assignment", MANAGE),
    "meetings:assignment_deadline": Row("POST", "assignment", MANAGE),
    # The report's file: whoever reads the community.
    "meetings:assignment_file": Row("GET", "assignment", READ),
    # The follow-up question of the draft: its outcomes page; adding it again is refused with a message.
    "meetings:follow_up": Row("GET", "follow_up_item", MANAGE),
    "meetings:follow_up_add": Row("POST", "draft_meeting", MANAGE_POST),
    # «Ознакомлен(а) с протоколом»: a member; the leader signed it (refused with a message), no teacher: 403.
    "meetings:receipt": Row(
        "POST", "signed_meeting", statuses(302, outsider=404, other_leader=404, methodist=403, department=403)
    ),
    # Calendars: a meeting's .ics for its readers; the person's feed page and file; the secret feeds open to
    # whoever has the address (a calendar application does not sign in).
    "meetings:meeting_ics": Row("GET", "draft_meeting", READ),
    "meetings:calendar_settings": Row("GET", "none", EVERYONE),
    "meetings:calendar_renew": Row("POST", "none", statuses(302)),
    "meetings:my_feed": Row("GET", "none", EVERYONE),
    "meetings:personal_feed": Row("GET", "member_feed", statuses(200, anonymous=200)),
    "meetings:community_feed": Row("GET", "member_community_feed", statuses(200, anonymous=200)),
    # «Уведомления»: each person's own settings; the unsubscribe link of a letter opens without signing in (the
    # signed token is the key), for whoever has it.
    "notifications:settings": Row("GET", "none", EVERYONE),
    "notifications:unsubscribe": Row("GET", "member_unsubscribe", statuses(200, anonymous=200)),
    # Reports: the ИОЦ dashboard and its exports, documents, annual activity reports.
    "reports:dashboard": Row("GET", "none", METHODISTS_ONLY),
    "reports:status_help": Row("GET", "none", EVERYONE),
    # The public check of a printed document (its QR code): no sign-in, the same page for everyone.
    "reports:document_check_form": Row("GET", "none", statuses(200, anonymous=200)),
    "reports:document_check": Row("GET", "document_code", statuses(200, anonymous=200)),
    "reports:dashboard_xlsx": Row("GET", "none", METHODISTS_ONLY),
    "reports:district_summary_pdf": Row("GET", "none", METHODISTS_ONLY),
    "reports:protocol_pdf": Row("GET", "draft_meeting", READ),
    "reports:extract_pdf": Row("GET", "agenda_item", READ),
    "reports:correction_pdf": Row("GET", "correction", READ),  # the readers of the protocol's PDF
    "reports:plan_pdf": Row("GET", "plan", READ),
    "reports:sheet_pdf": Row("GET", "regulation", READ),
    # The same documents in Word, for the same readers.
    "reports:district_summary_docx": Row("GET", "none", METHODISTS_ONLY),
    "reports:protocol_docx": Row("GET", "draft_meeting", READ),
    "reports:extract_docx": Row("GET", "agenda_item", READ),
    "reports:plan_docx": Row("GET", "plan", READ),
    "reports:sheet_docx": Row("GET", "regulation", READ),
    "reports:annual_report_docx": Row("GET", "report_year", READ),
    "reports:annual_report_list": Row("GET", "none", METHODISTS_ONLY),
    "reports:annual_report": Row("GET", "report_year", READ),
    "reports:annual_report_pdf": Row("GET", "report_year", READ),
    # The report is the current leader's own text: the Department reads and reviews it, edits it in the admin.
    "reports:annual_report_edit": Row("GET", "report_year", LEADER_ONLY),
    "reports:annual_report_submit": Row("POST", "report_year", LEADER_ONLY_POST),
    # Methodists and the Department review a submitted report (an empty review form comes back with its errors).
    "reports:annual_report_review": Row(
        "POST", "submitted_report_year", statuses(200, outsider=404, other_leader=404, member=403, leader=403)
    ),
    # The optional second factor: methodists and administrators enrol; a user without a device has no code to give.
    "two_factor": Row("GET", "none", METHODISTS_ONLY),
    "two_factor_start": Row("POST", "none", statuses(403, methodist=302, department=302)),
    "two_factor_disable": Row("POST", "none", statuses(403, methodist=302, department=302)),
    "two_factor_verify": Row("GET", "none", statuses(302)),
}

# Django's own pages: not part of the portal's permission model.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def portal_url_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return {name for name in names if name not in EXEMPT and not name.startswith(EXEMPT_PREFIXES)}


def test_every_portal_url_has_a_row():
    assert sorted(portal_url_names() - set(MATRIX)) == []
    assert sorted(set(MATRIX) - portal_url_names()) == []


def build_world(community, leader, member) -> dict[str, dict]:
    """The objects the URLs of the matrix name, in ``community``: which object fills which URL."""
    draft = build_protocol(community, leader, [leader, member])
    signed = build_protocol(community, leader, [leader, member], date=dt.date(2024, 11, 20))
    assignment = AssignmentFactory(
        decision=signed.meeting.agenda.get().decisions.get(),
        responsible=member,
        report_file=SimpleUploadedFile("otchet.pdf", b"%PDF-1.4\n%%EOF"),
    )
    signed = protocol_sign(protocol=signed, user=leader.user)
    correction = protocol_correct(protocol=signed, author=leader, text="Читать «каб. 12».", reason="Опечатка")
    agenda_item = draft.meeting.agenda.get()
    follow_up_item = follow_up_question_add(meeting=draft.meeting)
    plan = AnnualPlanFactory(community=community, academic_year=AcademicYear(2024))
    PlanItemFactory(plan=plan)
    submitted_plan = submit_directly(AnnualPlanFactory(community=community, academic_year=AcademicYear(2023)), leader)
    regulation = RegulationFactory(
        community=community, file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF"), text="Текст"
    )
    material = Material.objects.create(
        community=community, title="Конспект", file=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF"), added_by=leader
    )
    MeetingFactory(community=community, date=dt.date(2024, 12, 5))
    report = annual_report_start(community=community, year=AcademicYear(2023), user=leader.user)
    report.results = "Проведено 4 заседания."
    annual_report_save(report=report, user=leader.user, expected_version=report.version)
    annual_report_submit(report=report, user=leader.user)
    draft_report = annual_report_start(community=community, year=AcademicYear(2024), user=leader.user)
    draft_report.results = "Итоги года."
    annual_report_save(report=draft_report, user=leader.user, expected_version=draft_report.version)
    feed = CalendarFeed.of(member.user)
    document_code = ProtocolDocument.objects.get(protocol=signed).verification_code
    return {
        "document_code": {"code": document_code},
        "member_feed": {"token": feed.token},
        "member_unsubscribe": {"token": unsubscribe_token(member.user.pk, "protocol_signed")},
        "member_community_feed": {"token": feed.token, "pk": community.pk},
        "report_year": {"pk": community.pk, "year": 2024},
        "submitted_report_year": {"pk": community.pk, "year": 2023},
        "none": {},
        "community": {"pk": community.pk},
        "membership": {"pk": community.pk, "membership_pk": member.memberships.get().pk},
        "plan": {"plan_pk": plan.pk},
        "submitted_plan": {"plan_pk": submitted_plan.pk},
        "regulation": {"regulation_pk": regulation.pk},
        "material": {"material_pk": material.pk},
        "draft_meeting": {"meeting_pk": draft.meeting_id},
        "signed_meeting": {"meeting_pk": signed.meeting_id},
        "agenda_item": {"item_pk": agenda_item.pk},
        "correction": {"correction_pk": correction.pk},
        "follow_up_item": {"item_pk": follow_up_item.pk},
        "assignment": {"assignment_pk": assignment.pk},
    }


@pytest.fixture
def world(community, leader, member, other_leader, outsider, settings, tmp_path):
    """The world for one test, with conftest's personas (the security tests' pages; log in with ``login_as``)."""
    settings.MEDIA_ROOT = tmp_path
    return build_world(community, leader, member)


def login_as(client, persona, request):
    if persona == "anonymous":
        return
    if persona == "methodist":
        client.force_login(request.getfixturevalue("methodist"))
    elif persona == "department":
        client.force_login(request.getfixturevalue("admin_user"))
    else:
        client.force_login(request.getfixturevalue(persona).user)


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    """The files of the matrix's world (the signed protocol's PDF, the regulation, the material), as built."""
    return tmp_path_factory.mktemp("matrix-world-media")


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, matrix_media):
    """The world of the matrix with every persona, built once for the module inside a transaction that is rolled
    back after it: the URLs' objects (``urls``) and the personas' user ids (``users``).

    Each case runs in a savepoint of that transaction (pytest-django's ``db`` inside the outer atomic), so a POST
    of one case cannot leak into the next. Files are not transactional: each case gets its own copy of the world's
    files (``matrix_files``)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=matrix_media),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_matrix_world():
    """conftest's personas, made here because its fixtures are function-scoped, and the world in their community."""
    community = CommunityFactory(name="ПОС учителей математики")
    leader = teacher_with_login("leader", surname="Смирнова", name="Ольга", patronymic="Викторовна")
    appoint(community, leader)
    member = teacher_with_login("member", surname="Кузнецов", name="Игорь", patronymic="Павлович")
    MembershipFactory(teacher=member, community=community, joined_on=PAST_YEAR_START)
    other_leader = teacher_with_login("other_leader", surname="Другова")
    appoint(CommunityFactory(name="ПОС воспитателей"), other_leader)
    outsider = teacher_with_login("outsider", surname="Посторонний")
    methodist = UserFactory(username="metodist")
    methodist.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    department = get_user_model().objects.create_superuser("admin", "admin@example.com", "password")
    users = {
        "outsider": outsider.user,
        "member": member.user,
        "other_leader": other_leader.user,
        "leader": leader.user,
        "methodist": methodist,
        "department": department,
    }
    return {
        "urls": build_world(community, leader, member),
        "users": {persona: user.pk for persona, user in users.items()},
    }


@pytest.fixture
def matrix_files(matrix_media, settings, tmp_path):
    """A copy of the world's files for one case: a case that deletes a material deletes its file at once."""
    settings.MEDIA_ROOT = shutil.copytree(matrix_media, tmp_path / "media")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission(name, persona, matrix_world, matrix_files, db, client):
    row = MATRIX[name]
    url = reverse(name, kwargs=matrix_world["urls"][row.kwargs])
    if persona != "anonymous":
        client.force_login(get_user_model().objects.get(pk=matrix_world["users"][persona]))

    response = client.post(url) if row.method == "POST" else client.get(url)
    read_body(response)  # downloads stream from an open file

    assert response.status_code == row.status(persona), f"{row.method} {url} as {persona}"
    if persona == "anonymous" and response.status_code == LOGIN:
        assert response.url.startswith(reverse("login"))
