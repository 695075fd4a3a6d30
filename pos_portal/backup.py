"""Backups of the portal: the database and the media files in one archive, and their restoration.

An archive ``pos-backup-YYYYMMDD-HHMMSS.tar`` (mode 0600: it holds personal data) contains

- ``database.dump`` — PostgreSQL, ``pg_dump --format=custom`` (restored by ``pg_restore``), or ``database.sqlite3`` —
  SQLite, a consistent copy made by SQLite's online backup API while the portal runs;
- ``media/…`` — every file of MEDIA_ROOT (regulations, materials, PDFs of signed protocols); with media in an
  S3-compatible bucket the bucket is backed up by its own means (versioning, replication) and the archive holds
  the database only;
- ``manifest.json`` — when, which database, and the SHA-256 of every file; a restoration checks them all first and
  refuses a damaged archive.

Live sessions are left out (``django_session``, and a database cache table if one is configured): the tables are in
the archive, empty, so a copy of the archive cannot be used to take over a signed-in user's session, and everyone
signs in again after a restoration. The archive does hold everything else, the second factors' TOTP secrets too.

The database is dumped before the media are read, so every file the dumped rows refer to is in the archive
(files are never changed in place: uploads get new names, a signed protocol's PDF is written once).

``manage.py backup_db`` and ``manage.py restore_db`` (communities/management/commands) call these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import dj_database_url
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections

FORMAT_VERSION = 1
PREFIX = "pos-backup-"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
CHUNK = 1024 * 1024


SESSION_TABLE = "django_session"


def left_out_tables(connection) -> list[str]:
    """Tables whose rows a backup leaves out: live sessions and database cache entries (the tables that exist)."""
    tables = [SESSION_TABLE]
    tables += [
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache.get("BACKEND", "").endswith("DatabaseCache") and cache.get("LOCATION")
    ]
    existing = set(connection.introspection.table_names())
    return [table for table in tables if table in existing]


class BackupError(Exception):
    """A backup or a restoration that cannot be done; the message says why, in Russian."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor(settings_dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Резервное копирование умеет SQLite и PostgreSQL, а не {engine}.")


def _pg_environment(settings_dict) -> dict[str, str]:
    """libpq's variables for the database: the password never appears on a command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _run(args, env):
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"Не найдена программа {args[0]}: установите пакет postgresql-client.") from None
    if result.returncode != 0:
        raise BackupError(f"{args[0]} завершился с ошибкой: {result.stderr.strip()[-2000:]}")


def _media_root() -> Path | None:
    """The media folder when the media live on a file system (MEDIA_ROOT), None when they are in S3."""
    storage = storages["default"]
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _media_files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


@dataclass
class BackupResult:
    path: Path
    database: str
    media_files: int
    media_bytes: int
    media_skipped: bool


def backup(output_dir: Path, using: str = "default", keep: int | None = None) -> BackupResult:
    """Write a new archive into ``output_dir``; with ``keep``, delete all but the newest ``keep`` archives there."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    vendor = _vendor(connection.settings_dict)
    now = dt.datetime.now(dt.UTC)
    target = output_dir / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}.tar"
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": now.isoformat(),
        "database": vendor,
        "files": {},
    }
    with tempfile.TemporaryDirectory(prefix="pos-backup-") as work:
        work = Path(work)
        if vendor == "sqlite":
            if connection.in_atomic_block:
                # SQLite's backup of a connection in the middle of its own write would wait for it forever.
                raise BackupError("Резервную копию SQLite нельзя сделать внутри транзакции.")
            database_file = work / SQLITE_MEMBER
            connection.ensure_connection()
            destination = sqlite3.connect(database_file)
            try:
                with connection.wrap_database_errors:
                    connection.connection.backup(destination)
                for table in left_out_tables(connection):
                    destination.execute(f'DELETE FROM "{table}"')  # noqa: S608 - a table name of our own schema
                destination.commit()
                destination.execute("VACUUM")  # the deleted rows leave no trace in free pages
            finally:
                destination.close()
        else:
            database_file = work / POSTGRES_MEMBER
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    *(f"--exclude-table-data={table}" for table in left_out_tables(connection)),
                    f"--file={database_file}",
                ],
                _pg_environment(connection.settings_dict),
            )
        manifest["files"][database_file.name] = sha256_file(database_file)

        media_root = _media_root()
        media = list(_media_files(media_root)) if media_root is not None else []
        manifest["media"] = "s3" if media_root is None else "files"
        for path, relative in media:
            manifest["files"][f"{MEDIA_DIR}/{relative}"] = sha256_file(path)

        partial = target.with_suffix(".tar.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            payload = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(payload)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(payload))
            archive.add(database_file, arcname=database_file.name)
            for path, relative in media:
                archive.add(path, arcname=f"{MEDIA_DIR}/{relative}", recursive=False)
        partial.replace(target)  # a half-written archive never looks like a backup

    if keep:
        for old in sorted(output_dir.glob(f"{PREFIX}*.tar"))[:-keep]:
            old.unlink()
    return BackupResult(
        path=target,
        database=vendor,
        media_files=len(media),
        media_bytes=sum(path.stat().st_size for path, _relative in media),
        media_skipped=media_root is None,
    )


def _safe_media_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.parts[:1] != (MEDIA_DIR,) or len(path.parts) < 2:
        raise BackupError(f"В архиве недопустимый путь: {name!r}.")
    return PurePosixPath(*path.parts[1:])


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("Это не резервная копия портала: в архиве нет manifest.json.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Неизвестный формат резервной копии: {manifest.get('format')!r}.")
    return manifest


def verify(path: Path, work: Path) -> dict:
    """Unpack the archive into ``work`` and check every file against the manifest."""
    try:
        archive = tarfile.open(path, mode="r")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Архив не читается: {error}.") from None
    with archive:
        manifest = read_manifest(archive)
        expected = dict(manifest["files"])
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or member.name not in expected:
                raise BackupError(f"В архиве лишний или недопустимый элемент: {member.name!r}.")
            if member.name.startswith(f"{MEDIA_DIR}/"):
                relative = _safe_media_path(member.name)
                destination = work / MEDIA_DIR / relative
            elif member.name in {SQLITE_MEMBER, POSTGRES_MEMBER}:
                destination = work / member.name
            else:
                raise BackupError(f"В архиве неизвестный файл: {member.name!r}.")
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, destination.open("wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
            if sha256_file(destination) != expected.pop(member.name):
                raise BackupError(f"Архив повреждён: не совпадает SHA-256 файла {member.name}.")
        if expected:
            raise BackupError(f"Архив неполон: нет {', '.join(sorted(expected)[:5])}.")
    return manifest


@dataclass
class RestoreResult:
    database: str
    media_files: int


def restore(path: Path, database_url: str | None = None, media_root: Path | None = None) -> RestoreResult:
    """Restore the archive into the database (the portal's, or ``database_url``: e.g. a freshly created one) and
    its media into MEDIA_ROOT (or ``media_root``). Existing media files of the same name are replaced."""
    if database_url:
        try:
            settings_dict = dj_database_url.parse(database_url)
        except ValueError as error:
            raise BackupError(f"Неверный адрес базы данных: {error}.") from None
    else:
        settings_dict = connections["default"].settings_dict
    vendor = _vendor(settings_dict)
    with tempfile.TemporaryDirectory(prefix="pos-restore-") as work:
        work = Path(work)
        manifest = verify(Path(path), work)
        if manifest["database"] != vendor:
            raise BackupError(
                f"Копия сделана с базы {manifest['database']}, а восстанавливается в {vendor}: так нельзя."
            )
        if vendor == "sqlite":
            name = settings_dict["NAME"]
            if not database_url:
                connections.close_all()
            source = sqlite3.connect(work / SQLITE_MEMBER)
            destination = sqlite3.connect(name)
            try:
                source.backup(destination)
            finally:
                source.close()
                destination.close()
        else:
            if not database_url:
                connections.close_all()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={settings_dict['NAME']}",
                    str(work / POSTGRES_MEMBER),
                ],
                _pg_environment(settings_dict),
            )
        restored = 0
        media_source = work / MEDIA_DIR
        if manifest.get("media") == "files" and media_source.is_dir():
            target_root = Path(media_root or settings.MEDIA_ROOT)
            for path_in_work, relative in _media_files(media_source):
                destination = target_root / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path_in_work, destination)
                restored += 1
    return RestoreResult(database=vendor, media_files=restored)
