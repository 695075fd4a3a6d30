"""Letters go through the outbox: ``notify`` writes one row per event and person (the unique constraint on
kind, event and recipient makes a second call, a retry or a second worker a no-op) and, once the transaction
commits, enqueues a task per letter (``tasks.send_outbox``); ``deliver`` is that task's body.

Exactly once: a worker takes a row by a conditional UPDATE (pending, not taken, or taken longer than
``NOTIFICATIONS_CLAIM_SECONDS`` ago by a worker that died), so of two workers given the same row one sends it; the
row is marked sent right after the SMTP server accepted the letter. A letter that failed is tried again after
1, 2, 4… × ``NOTIFICATIONS_RETRY_SECONDS`` (``run_after`` on a queue that defers; with the immediate backend the
next ``notifications_retry`` sends it), ``NOTIFICATIONS_MAX_ATTEMPTS`` times in all, then it is «не отправлено».
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.kinds import KINDS
from notifications.models import Delivery, Outbox, Preference
from notifications.recipients import address_of

logger = logging.getLogger(__name__)

_muted = contextvars.ContextVar("notifications_muted", default=False)


@contextlib.contextmanager
def muted():
    """No letters are written inside (the demo district's seeding, imports)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def notify(kind: str, event_key: str, users: Iterable, payload: dict | None = None) -> list[int]:
    """Write the letter of ``kind`` about ``event_key`` to each of ``users`` (``notify_each``)."""
    return notify_each(kind, [(event_key, user, payload) for user in users])


def notify_each(kind: str, letters: Iterable[tuple[str, object, dict | None]]) -> list[int]:
    """Write the letters of ``kind``, each (event key, user, payload), to active accounts (those who turned the
    kind off get nothing; those who chose the daily digest get it there) and enqueue the immediate ones after the
    commit. Returns the pks of the rows written now (none for a person who already has that letter). Four
    queries, whatever the number of letters; then one enqueue per letter."""
    assert kind in KINDS, kind
    if _muted.get():
        return []
    wanted = {}
    for event_key, user, payload in letters:
        if user is not None and user.is_active:
            wanted.setdefault((event_key, user.pk), payload or {})
    if not wanted:
        return []
    preferences = Preference.of({user_pk for _key, user_pk in wanted}, kind)
    wanted = {
        key: payload for key, payload in wanted.items() if (pref := preferences.get(key[1])) is None or pref.enabled
    }
    keys = {event_key for event_key, _user_pk in wanted}
    users = {user_pk for _event_key, user_pk in wanted}
    existing = set(
        Outbox.objects.filter(kind=kind, event_key__in=keys, recipient_id__in=users).values_list(
            "event_key", "recipient_id"
        )
    )
    new = {key: payload for key, payload in wanted.items() if key not in existing}
    if not new:
        return []
    Outbox.objects.bulk_create(
        [
            Outbox(
                kind=kind,
                event_key=event_key,
                recipient_id=user_pk,
                payload=payload,
                delivery=preferences[user_pk].delivery if user_pk in preferences else Delivery.IMMEDIATE,
            )
            for (event_key, user_pk), payload in new.items()
        ],
        ignore_conflicts=True,  # a concurrent call wrote some of them: theirs stand
    )
    since = {event_key for event_key, _user_pk in new}
    rows = [
        (pk, delivery)
        for pk, event_key, user_pk, delivery in Outbox.objects.filter(
            kind=kind,
            event_key__in=since,
            recipient_id__in={user_pk for _key, user_pk in new},
            status=Outbox.Status.PENDING,
        )
        .order_by("pk")
        .values_list("pk", "event_key", "recipient_id", "delivery")
        if (event_key, user_pk) in new
    ]
    for pk, delivery in rows:
        if delivery == Delivery.IMMEDIATE:
            transaction.on_commit(partial(enqueue, pk))
    return [pk for pk, _delivery in rows]


def enqueue(pk: int, when: dt.datetime | None = None) -> None:
    """Queue the sending of row ``pk`` (at ``when``, if the backend defers; else it waits for
    ``notifications_retry``)."""
    from notifications.tasks import send_outbox

    task = send_outbox
    if when is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=when)
    try:
        task.enqueue(pk)
    except Exception:  # the queue is down: the row stays pending, notifications_retry sends it
        logger.exception("Could not enqueue outbox row %s", pk)


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS)
    return (
        Q(status=Outbox.Status.PENDING)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def claim(pk: int) -> dt.datetime | None:
    """Take row ``pk`` for sending (a conditional UPDATE: of two workers, one gets it); the moment it was taken."""
    now = timezone.now()
    taken = Outbox.objects.filter(_claimable(now), pk=pk).update(claimed_at=now, attempts=F("attempts") + 1)
    return now if taken else None


def _finish(pk: int, taken_at: dt.datetime, **fields) -> None:
    """Write what became of row ``pk``, if it is still this worker's (taken at ``taken_at``)."""
    Outbox.objects.filter(pk=pk, claimed_at=taken_at).update(**fields)


def deliver(pk: int) -> str:
    """Send row ``pk`` if this worker takes it; what became of it."""
    from notifications.mail import build_message

    claimed_at = claim(pk)
    if claimed_at is None:
        return "not taken"
    row = Outbox.objects.select_related("recipient__teacher").get(pk=pk)
    user = row.recipient
    address = address_of(user)
    if not user.is_active or not address:
        _finish(pk, claimed_at, status=Outbox.Status.SKIPPED, last_error="нет e-mail или учётная запись отключена")
        return "skipped"
    try:
        message = build_message(row, address)
    except ObjectDoesNotExist:
        _finish(pk, claimed_at, status=Outbox.Status.SKIPPED, last_error="то, о чём письмо, удалено")
        return "skipped"
    try:
        message.send()
    except Exception as error:  # SMTP errors, a refused connection, a timeout: tried again later
        return _failed(row, claimed_at, error)
    _finish(pk, claimed_at, status=Outbox.Status.SENT, sent_at=timezone.now(), address=address, last_error="")
    if row.kind == "daily_digest":
        Outbox.objects.filter(digest_id=pk).update(sent_at=timezone.now(), address=address)
    return "sent"


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4… × NOTIFICATIONS_RETRY_SECONDS after the 1st, 2nd, 3rd… failed attempt."""
    return dt.timedelta(seconds=settings.NOTIFICATIONS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def _failed(row: Outbox, claimed_at: dt.datetime, error: Exception) -> str:
    attempts = row.attempts
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning("Outbox row %s: attempt %s failed: %s", row.pk, attempts, text)
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _finish(row.pk, claimed_at, status=Outbox.Status.FAILED, last_error=text)
        return "failed"
    when = timezone.now() + retry_delay(attempts)
    _finish(row.pk, claimed_at, claimed_at=None, next_attempt_at=when, last_error=text)
    enqueue(row.pk, when)
    return "retry"


def due_rows(now: dt.datetime | None = None, *, stale_seconds: int | None = None):
    """Rows to send again: pending, immediate (or a digest) and due; failed before, or waiting longer than
    ``stale_seconds`` (by default NOTIFICATIONS_CLAIM_SECONDS) for their task, or taken that long ago by a worker
    that died. A row whose task is still queued may get a second task: only one of them sends it."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS if stale_seconds is None else stale_seconds)
    # Never taken: a letter that failed before (its next attempt is set), or one whose task should have run by now.
    never_taken = Q(claimed_at__isnull=True) & (Q(next_attempt_at__isnull=False) | Q(created_at__lte=stale))
    return Outbox.objects.filter(
        Q(status=Outbox.Status.PENDING, delivery=Delivery.IMMEDIATE)
        & (never_taken | Q(claimed_at__lte=stale))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def retry(*, stale_seconds: int | None = None) -> int:
    """Release the rows of workers that died and enqueue every due row again; how many."""
    now = timezone.now()
    pks = list(due_rows(now, stale_seconds=stale_seconds).order_by("pk").values_list("pk", flat=True))
    Outbox.objects.filter(pk__in=pks, claimed_at__isnull=False).update(claimed_at=None)
    for pk in pks:
        enqueue(pk)
    return len(pks)
