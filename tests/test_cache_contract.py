"""The cache contract: a cached piece of a page reads only the tables of the models its data version watches.

A piece is cached under the data version (communities.data_version), which changes only when a watched model's row
is saved or deleted: a piece that read any other table would show that table's old rows until the entry expires.
Every piece named in ``CACHED_PIECES`` is rendered on a cold cache for each persona that may see its page; the
queries made while the piece is built (between the cache's miss and its store, the rest of the page is not cached)
are read for their tables, and each table's model must be watched.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from communities.data_version import CACHED_PIECES, WATCHED_MODELS
from communities.models import Membership
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from reports.models import AnnualReport
from tests.factories import MembershipFactory, RegulationFactory, TeacherFactory, UserFactory
from tests.reports.compliance_helpers import bulk_district

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FOLDERS = ("communities", "meetings", "reports", "pos_portal", "demo")
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
FRAGMENT_KEY = re.compile(r"^template\.cache\.(.+)\.[0-9a-f]{32}$")
CACHED_KEY = re.compile(r"^district:([^:]+):[0-9a-f]{64}$")
PERSONAS = ("methodist", "department", "member", "no_teacher")
#: Tables a piece reads but shows nothing of, each with the reason its changes cannot change the piece.
SHOWN_NOTHING_OF = {
    # The compliance rows carry the leader's user for the notifications (compliance_report, uncached); no cached
    # page prints a field of a user, and watching it would give a new version at every sign-in (last_login).
    "auth_user": {"dashboard", "dashboard_xlsx", "district_summary_pdf", "district_summary_docx", "home-attention"},
    # The summary's task reads the data version to name the key it stores the PDF under (reports.tasks).
    "communities_dataversion": {"district_summary_pdf"},
}


def piece_of(key: str) -> str | None:
    """The piece a key of the cache is for: a template's fragment or a result of ``cached``."""
    match = FRAGMENT_KEY.match(key) or CACHED_KEY.match(key)
    return match.group(1).strip("'\"") if match else None


class PieceRecorder:
    """The tables read while each cached piece is built: from the cache's miss of its key to the store of it."""

    def __init__(self, backend):
        self.backend, self.building, self.tables = backend, {}, {}
        self.get, self.set = backend.get, backend.set

    def recording_get(self, key, *args, **kwargs):
        value = self.get(key, *args, **kwargs)
        piece = piece_of(key)
        if value is None and piece is not None:
            self.building[key] = piece
            self.tables.setdefault(piece, set())
        return value

    def recording_set(self, key, *args, **kwargs):
        self.building.pop(key, None)
        return self.set(key, *args, **kwargs)

    def __call__(self, execute, sql, params, many, context):
        for piece in self.building.values():
            self.tables[piece].update(TABLE.findall(sql))
        return execute(sql, params, many, context)


@pytest.fixture
def personas(db):
    """Who may see which cached page: the district's methodist and Department, a member, a user with no teacher."""
    year = AcademicYear.of(timezone.localdate())
    communities = bulk_district(3, year)
    RegulationFactory(community=None)
    RegulationFactory(community=communities[0])
    AnnualReport.objects.create(community=communities[0], academic_year=year.previous())
    member = TeacherFactory(user=UserFactory(username="member"))
    MembershipFactory(teacher=member, community=communities[1], joined_on=dt.date(2020, 9, 1))
    methodist, department = UserFactory(username="methodist"), UserFactory(username="department", is_superuser=True)
    methodist.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    assert Membership.objects.filter(teacher=member).exists()
    return {
        "methodist": methodist,
        "department": department,
        "member": member.user,
        "no_teacher": UserFactory(username="no_teacher"),
    }


def test_every_cached_piece_reads_only_tables_its_version_watches(client, personas, monkeypatch):
    models = {model._meta.db_table: model._meta.label for model in apps.get_models(include_auto_created=True)}
    backend = caches["default"]
    recorder = PieceRecorder(backend)
    monkeypatch.setattr(backend, "get", recorder.recording_get)
    monkeypatch.setattr(backend, "set", recorder.recording_set)
    shown = set()
    with connection.execute_wrapper(recorder):
        for url_name in sorted(set(CACHED_PIECES.values())):
            for persona in PERSONAS:
                client.force_login(personas[persona])
                cache.clear()  # cold: every piece of the page is built
                if client.get(reverse(url_name)).status_code == 200:
                    shown.add(url_name)

    assert shown == set(CACHED_PIECES.values()), "a cached page no persona could open"
    assert set(recorder.tables) == set(CACHED_PIECES), "a named piece its page never built, or a piece not named"
    unwatched = {
        (piece, f"{table} ({models.get(table, 'no model')})")
        for piece, tables in recorder.tables.items()
        for table in tables
        if models.get(table) not in WATCHED_MODELS and piece not in SHOWN_NOTHING_OF.get(table, ())
    }
    assert sorted(unwatched) == [], "\n".join(map(str, sorted(unwatched)))
    assert all(recorder.tables.values()), "a piece built without a query: the recorder saw nothing"


def _project_files(suffix: str):
    for folder in (ROOT / "templates", *(ROOT / name for name in PROJECT_FOLDERS)):
        yield from folder.rglob(f"*{suffix}")


def test_every_piece_a_template_or_the_code_caches_is_named():
    """A new ``{% cache %}`` fragment or ``cached(...)`` result is checked above only once it is named."""
    fragments = {
        name.strip("'\"")
        for path in _project_files(".html")
        for name in re.findall(r"{%\s*cache\s+[^%\s]+\s+([^%\s]+)", path.read_text(encoding="utf-8"))
    }
    results = {
        kind for path in _project_files(".py") for kind in re.findall(r'\bcached\(\s*"([^"]+)"', path.read_text())
    }

    assert fragments and results
    assert fragments | results == set(CACHED_PIECES)
