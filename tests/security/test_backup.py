"""A backup restored whole: ``backup_db`` then ``restore_db`` into a fresh database (a new SQLite file; on
PostgreSQL a new database) and a fresh media folder finds every row of every table, every file, and the stored PDF
of the signed protocol with its SHA-256; the restored database still refuses to change a signed protocol.
A damaged or foreign archive is refused before anything is touched."""

import datetime as dt
import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import psycopg2
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from communities.models import Material
from meetings.services import protocol_sign
from reports.models import ProtocolDocument
from tests.conftest import build_protocol
from tests.factories import AnnualPlanFactory, AssignmentFactory, PlanItemFactory, RegulationFactory, UserFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def backup(output_dir) -> Path:
    out = io.StringIO()
    call_command("backup_db", output_dir=str(output_dir), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class Fresh:
    """A fresh, empty database of the same kind: its URL for restore_db and a raw connection to read it."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            settings = connection.settings_dict
            self.name = f"{settings['NAME']}_restored"
            self.params = {**connection.get_connection_params(), "dbname": self.name}
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{self.name}"

    def _admin(self, *statements_):
        admin = psycopg2.connect(**{**connection.get_connection_params(), "dbname": "postgres"})
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                for sql in statements_:
                    cursor.execute(sql)
        finally:
            admin.close()

    def connect(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
        return psycopg2.connect(**self.params)

    def drop(self):
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture
def fresh_database(tmp_path):
    database = Fresh(tmp_path)
    yield database
    database.drop()


def original_connection():
    """A raw connection to the test database, reading rows as the fresh one's does."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection  # the in-memory test database is reachable only through it
    return psycopg2.connect(**connection.get_connection_params())


def table_rows(raw, table) -> list[str]:
    cursor = raw.cursor()
    try:
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names of our own schema
        return sorted(repr(row) for row in cursor.fetchall())
    finally:
        cursor.close()


def build_everything(community, leader, member):
    plan = AnnualPlanFactory(community=community)
    PlanItemFactory(plan=plan)
    RegulationFactory(community=community, file=SimpleUploadedFile("p.pdf", PDF), text="Текст положения")
    Material.objects.create(community=community, title="Конспект", file=SimpleUploadedFile("m.pdf", PDF))
    protocol = build_protocol(community, leader, [leader, member])
    AssignmentFactory(decision=protocol.meeting.agenda.get().decisions.get(), responsible=member)
    protocol_sign(protocol=protocol, user=leader.user)
    build_protocol(community, leader, [leader, member], date=dt.date(2024, 11, 20))  # a draft too
    UserFactory(username="department", is_staff=True, is_superuser=True)
    return ProtocolDocument.objects.get(protocol=protocol)


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_restored_whole(community, leader, member, media, tmp_path, fresh_database):
    document = build_everything(community, leader, member)
    pdf_hash = hashlib.sha256(document.read()).hexdigest()
    assert document.sha256 == pdf_hash

    archive = backup(tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    call_command(
        "restore_db",
        str(archive),
        database_url=fresh_database.url,
        media_root=str(restored_media),
        interactive=False,
        stdout=io.StringIO(),
    )

    # Every row of every table.
    tables = connection.introspection.table_names()
    original, restored = original_connection(), fresh_database.connect()
    try:
        differing = [table for table in tables if table_rows(original, table) != table_rows(restored, table)]
        assert differing == []
        counts = {table: len(table_rows(restored, table)) for table in tables}
        for table in (
            "communities_community",
            "communities_membership",
            "communities_annualplan",
            "communities_regulation",
            "communities_material",
            "meetings_protocol",
            "meetings_assignment",
            "meetings_historicalprotocol",
            "communities_historicalcommunity",
            "auth_user",
        ):
            assert counts[table] > 0, table
        assert counts["reports_protocoldocument"] == 1

        # The stored PDF of the signed protocol, with its hash.
        cursor = restored.cursor()
        cursor.execute("SELECT file, sha256 FROM reports_protocoldocument")
        [(name, stored_hash)] = cursor.fetchall()
        assert stored_hash == pdf_hash
        assert sha256(restored_media / name) == pdf_hash

        # A signed protocol still cannot change in the restored database.
        with pytest.raises((sqlite3.IntegrityError, psycopg2.IntegrityError)):
            cursor.execute("UPDATE meetings_protocol SET place = 'подделка' WHERE signed_at IS NOT NULL")
        cursor.close()
    finally:
        restored.close()
        if connection.vendor != "sqlite":
            original.close()

    # Every file.
    assert files_of(restored_media) == files_of(Path(media))
    assert len(files_of(restored_media)) == 3


def members_of(archive: Path) -> list[str]:
    with tarfile.open(archive) as tar:
        return tar.getnames()


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_private_and_complete(community, media, tmp_path):
    Material.objects.create(community=community, title="Конспект", file=SimpleUploadedFile("m.pdf", PDF))

    archive = backup(tmp_path / "backups")

    assert archive.name.startswith("pos-backup-") and archive.suffix == ".tar"
    assert archive.stat().st_mode & 0o777 == 0o600
    names = members_of(archive)
    assert names[0] == "manifest.json"
    assert ("database.sqlite3" if connection.vendor == "sqlite" else "database.dump") in names
    [material] = [name for name in names if name.startswith("media/materials/")]
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["files"][material] == hashlib.sha256(PDF).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_old_archives_are_pruned(media, tmp_path):
    for _ in range(3):
        call_command(
            "backup_db", output_dir=str(tmp_path / "backups"), keep=2, stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert len(list((tmp_path / "backups").glob("pos-backup-*.tar"))) == 2


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with one member changed by ``change(name, data) -> (name, data)``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            name, data = change(member.name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, d: (n, d + b"x") if n.startswith("media/") else (n, d), "Архив повреждён"),
        (lambda n, d: (n.replace("media/", "media/../../"), d) if n.startswith("media/") else (n, d), "лишний"),
        (lambda n, d: (n, b"{}") if n == "manifest.json" else (n, d), "Неизвестный формат"),
    ],
    ids=["damaged-file", "path-outside", "foreign-manifest"],
)
def test_a_damaged_archive_is_refused(community, media, tmp_path, fresh_database, change, message):
    Material.objects.create(community=community, title="Конспект", file=SimpleUploadedFile("m.pdf", PDF))
    archive = rewritten(backup(tmp_path / "backups"), tmp_path / "bad.tar", change)
    restored_media = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=message):
        call_command(
            "restore_db",
            str(archive),
            database_url=fresh_database.url,
            media_root=str(restored_media),
            interactive=False,
        )

    assert not restored_media.exists()


@pytest.mark.django_db
def test_sqlite_refuses_a_backup_inside_a_transaction(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: pg_dump reads the database from its own connection.")

    with pytest.raises(CommandError, match="внутри транзакции"):
        call_command("backup_db", output_dir=str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_backup_leaves_out_the_live_sessions(community, media, tmp_path, fresh_database):
    session = SessionStore()
    session["_auth_user_id"] = str(UserFactory().pk)
    session.create()

    archive = backup(tmp_path / "backups")
    call_command(
        "restore_db",
        str(archive),
        database_url=fresh_database.url,
        media_root=str(tmp_path / "restored-media"),
        interactive=False,
        stdout=io.StringIO(),
    )

    restored = fresh_database.connect()
    try:
        assert table_rows(restored, "django_session") == []
        assert len(table_rows(restored, "communities_community")) == 1
    finally:
        restored.close()
    with tarfile.open(archive) as tar:
        assert session.session_key.encode() not in tar.extractfile(members_of(archive)[1]).read()
