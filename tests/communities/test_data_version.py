"""The district data version the cached pages are keyed by (communities.data_version)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.data_version import WATCHED_MODELS, cache_key, cached, data_version
from communities.models import DataVersion, Membership
from communities.services import acknowledgement_record
from meetings.models import Assignment, Decision
from meetings.services import DecisionChange, agenda_item_save
from tests.conftest import build_protocol
from tests.factories import (
    AgendaItemFactory,
    CommunityFactory,
    MembershipFactory,
    OrganizationFactory,
    RegulationFactory,
    TeacherFactory,
)
from tests.reports.compliance_helpers import held

pytestmark = pytest.mark.django_db


def test_a_committed_save_gives_a_new_version(django_capture_on_commit_callbacks):
    before = data_version()

    with django_capture_on_commit_callbacks(execute=True):
        CommunityFactory()

    assert data_version() != before


def test_a_committed_delete_gives_a_new_version(django_capture_on_commit_callbacks):
    organization = OrganizationFactory()
    before = data_version()

    with django_capture_on_commit_callbacks(execute=True):
        organization.delete()

    assert data_version() != before


def test_a_save_that_is_never_committed_changes_nothing(django_capture_on_commit_callbacks):
    before = data_version()

    with django_capture_on_commit_callbacks(execute=False):
        held(CommunityFactory(), dt.date(2024, 10, 10))

    assert data_version() == before


def test_a_new_member_gives_a_new_version(django_capture_on_commit_callbacks):
    """The community list shows member counts."""
    community, teacher = CommunityFactory(), TeacherFactory()
    before = data_version()

    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(teacher=teacher, community=community, joined_on=dt.date(2024, 9, 1))

    assert data_version() != before


def test_a_change_no_cached_page_shows_keeps_the_version(django_capture_on_commit_callbacks):
    """Acknowledgements of a regulation are on the community's own page, never cached."""
    regulation, teacher = RegulationFactory(), TeacherFactory()
    before = data_version()

    with django_capture_on_commit_callbacks(execute=True):
        acknowledgement_record(regulation=regulation, teacher=teacher)

    assert "communities.Acknowledgement" not in WATCHED_MODELS
    assert data_version() == before


def test_the_version_row_is_made_again_when_missing():
    DataVersion.objects.all().delete()

    token = data_version()

    assert DataVersion.objects.get().token == token
    assert len(token) == 32


def test_cached_builds_once_per_version(django_capture_on_commit_callbacks):
    builds = []

    def build():
        builds.append(1)
        return f"результат {len(builds)}"

    assert cached("test", ("a",), build) == "результат 1"
    assert cached("test", ("a",), build) == "результат 1"
    assert cached("test", ("b",), build) == "результат 2"
    with django_capture_on_commit_callbacks(execute=True):
        CommunityFactory()
    assert cached("test", ("a",), build) == "результат 3"


def test_keys_of_different_databases_differ():
    first = cache_key("dashboard", "2024/2025")
    DataVersion.objects.all().delete()  # as a database regenerated or restored under the same cache

    assert cache_key("dashboard", "2024/2025") != first


def test_the_summary_pdf_and_the_xlsx_are_built_once(client, methodist, django_capture_on_commit_callbacks):
    CommunityFactory(name="Альфа")
    client.force_login(methodist)
    cache.clear()
    for name in ("reports:district_summary_pdf", "reports:dashboard_xlsx"):
        first = client.get(reverse(name), {"year": "2024/2025"})
        with CaptureQueriesContext(connection) as context:
            second = client.get(reverse(name), {"year": "2024/2025"})

        assert second.content == first.content
        assert not [q for q in context.captured_queries if '"communities_community"' in q["sql"]]


# --- one new version per transaction -------------------------------------------------------------------------


def _version_updates(context) -> int:
    return sum(
        1 for q in context.captured_queries if q["sql"].startswith("UPDATE") and '"communities_dataversion"' in q["sql"]
    )


def _question_with_assignments(count: int):
    """A held meeting's question and ``count`` decisions, each giving an assignment (a watched row)."""
    community = CommunityFactory()
    leader, member = MembershipFactory(community=community).teacher, MembershipFactory(community=community).teacher
    protocol = build_protocol(community, leader, [leader, member], questions=0)
    meeting = protocol.meeting
    item = AgendaItemFactory(meeting=meeting, order=1, speaker=leader)
    meeting.refresh_from_db()
    changes = [
        DecisionChange(
            decision=Decision(text=f"Решение {number}", votes_for=2, votes_against=0, votes_abstained=0),
            responsible=member,
            deadline=dt.date(2025, 5, 20),
        )
        for number in range(1, count + 1)
    ]
    return item, changes, meeting


def test_a_transaction_that_saves_seven_watched_rows_gives_one_new_version(django_capture_on_commit_callbacks):
    item, changes, meeting = _question_with_assignments(7)
    before = data_version()

    with CaptureQueriesContext(connection) as context, django_capture_on_commit_callbacks(execute=True):
        agenda_item_save(item=item, decisions=changes, expected_version=meeting.version)

    assert Assignment.objects.filter(decision__agenda_item=item).count() == 7
    assert _version_updates(context) == 1
    assert data_version() != before


def test_two_transactions_give_two_new_versions(django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as context:
        for name in ("ПОС первое", "ПОС второе"):
            with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # a commit in the test
                community = CommunityFactory(name=name)
                community.theme = "Тема"
                community.save()

    assert _version_updates(context) == 2


def test_a_rolled_back_transaction_gives_no_new_version(django_capture_on_commit_callbacks):
    before = data_version()

    with (
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        CommunityFactory()
        raise RuntimeError

    assert _version_updates(context) == 0
    assert data_version() == before


def test_a_change_after_a_rolled_back_savepoint_still_gives_a_new_version(django_capture_on_commit_callbacks):
    """The savepoint's rollback drops the change's request for a new version; the next change asks again."""
    with (
        CaptureQueriesContext(connection) as context,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        with pytest.raises(RuntimeError), transaction.atomic():
            CommunityFactory(name="ПОС отменённое")
            raise RuntimeError
        CommunityFactory(name="ПОС сохранённое")

    assert _version_updates(context) == 1


@pytest.mark.django_db(transaction=True)
def test_real_commits_give_one_new_version_each():
    """Outside the test's own transaction: each commit is real, a rollback is real."""
    item, changes, meeting = _question_with_assignments(7)
    with CaptureQueriesContext(connection) as context:
        agenda_item_save(item=item, decisions=changes, expected_version=meeting.version)
        with transaction.atomic():
            CommunityFactory(name="ПОС первое")
            CommunityFactory(name="ПОС второе")
        with pytest.raises(RuntimeError), transaction.atomic():
            CommunityFactory(name="ПОС отменённое")
            raise RuntimeError

    assert _version_updates(context) == 2
