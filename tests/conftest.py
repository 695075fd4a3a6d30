"""Personas shared by every test: an outsider, a member, the leader, the leader of another
community, a methodist and a Department administrator."""

import datetime as dt
import os

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.test import override_settings

from communities.services import leader_appoint
from meetings.models import Protocol
from meetings.services import protocol_create, protocol_sign
from pos_portal.roles import METHODISTS_GROUP
from tests.factories import (
    PAST_MEETING_DATE,
    PAST_YEAR_START,
    AgendaItemFactory,
    AttendanceFactory,
    CommunityFactory,
    DecisionFactory,
    DepartmentFactory,
    MeetingFactory,
    MembershipFactory,
    TeacherFactory,
    UserFactory,
)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A browser journey is a slow test: ``pytest -m "not slow"`` leaves them out with the other slow ones."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


_passed_journeys = []


def pytest_runtest_logreport(report):
    # Reports reach the controller of a parallel run (pytest-xdist) here too, unlike pytest_runtest_makereport.
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _passed_journeys.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """Under REQUIRE_BROWSER=1 (CI) at least one browser journey must have passed (tests/browser/conftest.py makes
    a skipped one fail). Deselected (``-m "not browser"``, ``-k …``) is not run either. Checked where the run is
    reported: by the controller of a parallel run, not by its workers."""
    if hasattr(session.config, "workerinput"):
        return
    if env_flag("REQUIRE_BROWSER") and not _passed_journeys and exitstatus == pytest.ExitCode.OK:
        session.config.get_terminal_writer().line("REQUIRE_BROWSER=1, but no browser journey ran.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def restore_migration_data(sender, using, **kwargs):
    """After the flush that ends a transactional test (live server, concurrency), put back the rows the data
    migrations made: the methodists' group and the data version's one row. ``flush`` sends ``post_migrate``.

    Run alone, pytest-django runs the transactional tests last; in a parallel run (``--dist loadscope``) a worker
    runs the next module after one, so the tests after it must find the database as migrated."""
    if sender.label != "communities":
        return
    Group.objects.using(using).get_or_create(name=METHODISTS_GROUP)
    apps.get_model("communities", "DataVersion").objects.using(using).get_or_create(pk=1)


post_migrate.connect(restore_migration_data, dispatch_uid="tests-restore-migration-data")


#: Also for module- and class-scoped worlds, built before this module's function-scoped fixtures apply.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def plain_http_uncollected_static(settings):
    """``make test`` runs the production profile (DEBUG off), but the test client speaks plain HTTP and nobody
    ran collectstatic: no redirect to HTTPS, static files from the source folders. tests/test_deployment.py
    checks the real production profile in a fresh interpreter."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def isolated_media(tmp_path_factory):
    """Files stored by tests (the PDF of every protocol signed, uploads) go to a temporary folder, never to media/.
    Session-scoped, so that class- and module-scoped fixtures (the demo district) are covered too."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def appoint(community, teacher, starts_on=PAST_YEAR_START, number="12-о"):
    return leader_appoint(
        community=community,
        teacher=teacher,
        order_number=number,
        order_date=starts_on,
        starts_on=starts_on,
        issued_by=DepartmentFactory(),
    )


def teacher_with_login(username, **kwargs):
    return TeacherFactory(user=UserFactory(username=username), **kwargs)


@pytest.fixture
def community(db):
    return CommunityFactory(name="ПОС учителей математики")


@pytest.fixture
def leader(community):
    teacher = teacher_with_login("leader", surname="Смирнова", name="Ольга", patronymic="Викторовна")
    appoint(community, teacher)
    return teacher


@pytest.fixture
def member(community):
    teacher = teacher_with_login("member", surname="Кузнецов", name="Игорь", patronymic="Павлович")
    MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
    return teacher


@pytest.fixture
def outsider(db):
    return teacher_with_login("outsider", surname="Посторонний")


@pytest.fixture
def other_community(db):
    return CommunityFactory(name="ПОС воспитателей")


@pytest.fixture
def other_leader(other_community):
    teacher = teacher_with_login("other_leader", surname="Другова")
    appoint(other_community, teacher)
    return teacher


@pytest.fixture
def methodist(db):
    user = UserFactory(username="metodist")
    user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    return user


def build_protocol(community, leader, members, date=PAST_MEETING_DATE, questions=1) -> Protocol:
    """A held meeting with attendance (confirmed by the leader), questions with decisions, and its draft protocol."""
    meeting = MeetingFactory(community=community, date=date)
    for teacher in members:
        AttendanceFactory(meeting=meeting, teacher=teacher)
    meeting.attendance_confirm(leader)
    for order in range(1, questions + 1):
        DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=order, speaker=leader))
    return protocol_create(meeting=meeting)


@pytest.fixture
def draft_protocol(community, leader, member):
    return build_protocol(community, leader, [leader, member])


@pytest.fixture
def signed_protocol(draft_protocol, leader):
    return protocol_sign(protocol=draft_protocol, user=leader.user)


@pytest.fixture
def today():
    return dt.date.today()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: the reports cache is keyed by the data version, which the tests'
    rolled-back transactions never change."""
    cache.clear()
    yield
    cache.clear()
