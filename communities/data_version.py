"""What district-wide cached results are keyed by: the data version (``communities.models.DataVersion``).

Each app names the models whose changes the cached results show (``watch`` in its ``AppConfig.ready``: this one
its communities, organizations, teachers, memberships, appointments, regulations and plans; ``meetings`` its
meetings, protocols, questions, decisions and assignments; ``reports`` the annual reports), and the cached pieces
of pages that show them (``cached_page``; tests/test_cache_contract.py checks that a piece reads no other table).

Every committed save or delete of a watched row gives the data a new token, after the commit
(``transaction.on_commit``): a reader never caches the old data under the new token, and a writer never waits on
the version row while it holds other locks. One transaction gives one new token, however many watched rows it
saves (``_changed``); a rolled-back change gives none. Changes made around the ORM's signals (raw SQL,
``QuerySet.update()``, ``bulk_create``) do not give one; the cached results they leave behind expire after
``REPORTS_CACHE_SECONDS``. Every key also carries the release (pos_portal/release.py): a deploy starts afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from communities.models import DataVersion
from communities.models.data_version import new_token

ROW = 1
#: The models whose changes give a new version (filled by ``watch``), as "app_label.ModelName".
WATCHED_MODELS: list[str] = []
#: Every cached piece of a page, as its code names it (the fragment's name in ``{% cache %}``, the kind given to
#: ``cached``), with the URL name of the page it is on (filled by ``cached_page``). tests/test_cache_contract.py
#: renders each page on a cold cache and fails if a piece read a table whose model is not watched, or if a template
#: or the code caches a piece not named here.
CACHED_PIECES: dict[str, str] = {}


def data_version() -> str:
    """The current token (one query; the migration made the row, ``get_or_create`` makes it again if deleted)."""
    token = DataVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    return token if token is not None else DataVersion.objects.get_or_create(pk=ROW)[0].token


def bump() -> None:
    """A new token now (one UPDATE; the row is made again if it was deleted)."""
    values = {"token": new_token(), "changed_at": timezone.now()}
    if not DataVersion.objects.filter(pk=ROW).update(**values):
        DataVersion.objects.update_or_create(pk=ROW, defaults=values)


def _transaction_savepoint(connection) -> str | bool | None:
    """Where the current transaction began: ``None`` for a real transaction (the outermost atomic block), the id of
    the savepoint of the outermost block a test case did not open (a test's transaction), ``False`` when unknown
    (no such block, or one without a savepoint): then each change is taken for a transaction of its own."""
    blocks = connection.atomic_blocks
    index = next((i for i, block in enumerate(blocks) if not getattr(block, "_from_testcase", False)), None)
    if index is None:
        return False
    # Every block but the outermost one pushed its savepoint id (None when it made none).
    position = index - (len(blocks) - len(connection.savepoint_ids))
    if position < 0:
        return None
    return connection.savepoint_ids[position] or False


def _changed(sender, using=None, **kwargs) -> None:
    """Ask for a new token after the commit, unless the transaction has asked already.

    Django keeps the requests in ``connection.run_on_commit`` with the savepoints open when each was made, drops
    those made inside a savepoint that is rolled back (all of them with the transaction), and runs and clears the
    rest at the commit: a request of this transaction found there runs exactly when this change is committed. In a
    test the transaction is the test's own, so a transaction of the code under test is the outermost atomic block the
    test case did not open (``_from_testcase``): its requests are those made inside its savepoint."""
    connection = connections[using or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        begun = _transaction_savepoint(connection)
        if begun is not False and any(
            func is bump and (begun is None or begun in sids) for sids, func, _robust in connection.run_on_commit
        ):
            return
    transaction.on_commit(bump, using=using)


def page_part(value: str | None) -> str:
    """A ``?page=`` value as a short part of a cache key (any input: the paginator reads it, bad or not)."""
    return (value or "1")[:12]


def watch(*models) -> None:
    """A committed save or delete of any of ``models`` gives the data a new version."""
    for model in models:
        label = model._meta.label
        if label not in WATCHED_MODELS:
            WATCHED_MODELS.append(label)
        uid = f"pos_data_version_{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")


def cached_page(url_name: str, *pieces: str) -> None:
    """The page ``url_name`` shows ``pieces`` cached under the data version."""
    for piece in pieces:
        CACHED_PIECES[piece] = url_name


def cache_key(kind: str, *parts: object) -> str:
    """A key of the cache: the kind, the data version and whatever else varies the result (the day the
    compliance is computed for, the filters)."""
    raw = "\x1f".join(str(part) for part in (data_version(), *parts))
    return f"district:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(kind: str, parts: tuple, build: Callable[[], object]) -> object:
    """``build()``'s result, computed once per data version and ``parts``."""
    key = cache_key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.REPORTS_CACHE_SECONDS)
    return value
