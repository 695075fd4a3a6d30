"""What district-wide cached results are keyed by: the data version (``communities.models.DataVersion``).

Each app names the models whose changes the cached results show (``watch`` in its ``AppConfig.ready``: this one
its communities, organizations, teachers, memberships, appointments, regulations and plans; ``meetings`` its
meetings, protocols and assignments; ``reports`` the annual reports). Every committed save or delete of one
gives the data a new token, after the commit (``transaction.on_commit``): a reader never caches the old data
under the new token, and a writer never waits on the version row while it holds other locks. A rolled-back
change bumps nothing.

Changes made around the ORM's signals (raw SQL, ``QuerySet.update()``, ``bulk_create``) do not bump the token;
the cached results they leave behind expire after ``REPORTS_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from communities.models import DataVersion
from communities.models.data_version import new_token

ROW = 1
#: The models whose changes give a new version (filled by ``watch``), as "app_label.ModelName".
WATCHED_MODELS: list[str] = []


def data_version() -> str:
    """The current token (one query; the migration made the row, ``get_or_create`` makes it again if deleted)."""
    token = DataVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    return token if token is not None else DataVersion.objects.get_or_create(pk=ROW)[0].token


def bump() -> None:
    """A new token now."""
    DataVersion.objects.update_or_create(pk=ROW, defaults={"token": new_token(), "changed_at": timezone.now()})


def _changed(sender, using=None, **kwargs) -> None:
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
