"""The district data version the cached pages are keyed by (communities.data_version)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.data_version import WATCHED_MODELS, cache_key, cached, data_version
from communities.models import DataVersion, Membership
from communities.services import acknowledgement_record
from tests.factories import CommunityFactory, OrganizationFactory, RegulationFactory, TeacherFactory
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
