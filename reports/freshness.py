"""What the reports cache is keyed by: the data version (``reports.models.DataVersion``) and the day.

Every committed save or delete of a model the compliance rules read (``WATCHED_MODELS``) gives the data a new
token, after the commit (``transaction.on_commit``): a reader never caches the old data under the new token,
and a writer never waits on the version row while it holds other locks. A rolled-back change bumps nothing.

Changes made around the ORM's signals (raw SQL, ``QuerySet.update()``, ``bulk_create``) do not bump the token;
the cached results they leave behind expire after ``REPORTS_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from reports.models import DataVersion
from reports.models.freshness import new_token

#: Everything ``reports.compliance`` reads, with what its rows show (names of organizations and leaders).
WATCHED_MODELS = [
    "communities.Organization",
    "communities.Teacher",
    "communities.Community",
    "communities.LeaderAppointment",
    "communities.Regulation",
    "communities.AnnualPlan",
    "meetings.Meeting",
    "meetings.Protocol",
    "meetings.Assignment",
    "reports.AnnualReport",
]
ROW = 1


def data_version() -> str:
    """The current token (one query)."""
    token = DataVersion.objects.filter(pk=ROW).values_list("token", flat=True).first()
    if token is None:
        try:
            with transaction.atomic():
                token = DataVersion.objects.get_or_create(pk=ROW)[0].token
        except IntegrityError:  # created meanwhile by another request
            token = DataVersion.objects.get(pk=ROW).token
    return token


def bump() -> None:
    """A new token now (outside a transaction) or after the commit of the current one."""
    DataVersion.objects.update_or_create(pk=ROW, defaults={"token": new_token(), "changed_at": timezone.now()})


def _changed(sender, using=None, **kwargs) -> None:
    transaction.on_commit(bump, using=using)


def connect() -> None:
    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        uid = f"reports_freshness_{label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}_delete")


def cache_key(kind: str, *parts: object) -> str:
    """A key of the reports cache: the kind, the data version and whatever else varies the result (the day the
    compliance is computed for, the filters)."""
    raw = "\x1f".join(str(part) for part in (data_version(), *parts))
    return f"reports:{kind}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached(kind: str, parts: tuple, build: Callable[[], object]) -> object:
    """``build()``'s result, computed once per data version and ``parts``."""
    key = cache_key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.REPORTS_CACHE_SECONDS)
    return value
