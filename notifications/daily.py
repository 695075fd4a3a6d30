"""The daily job (``manage.py notifications_daily``, run by the timer pos-notifications.timer): the letters that
no request triggers. Each is written once (its event key names the day or the deadline), so a second run on the
same day, or a run after a missed day, sends nothing twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from meetings.models import Assignment, Meeting
from notifications import kinds as k
from notifications.models import Delivery, Outbox
from notifications.outbox import notify, notify_each
from notifications.recipients import leader_users, methodists, users_by_pk, users_by_teacher
from pos_portal.academic_year import AcademicYear

WEEKLY_DAY = 0  # Monday


def assignments_due(today: dt.date) -> int:
    """«Срок поручения через N дней»: open live assignments whose deadline is NOTIFY_DEADLINE_DAYS away."""
    due = list(Assignment.objects.open().filter(deadline=today + dt.timedelta(days=settings.NOTIFY_DEADLINE_DAYS)))
    return _assignment_letters(k.ASSIGNMENT_DUE, "due", due)


def _assignment_letters(kind: str, event: str, assignments) -> int:
    people = users_by_teacher([a.responsible_id for a in assignments])
    letters = [
        (f"assignment:{a.pk}:{event}:{a.deadline.isoformat()}", people.get(a.responsible_id), {"assignment": a.pk})
        for a in assignments
    ]
    return len(notify_each(kind, letters))


def assignments_overdue(today: dt.date) -> int:
    """«Поручение просрочено»: once per assignment and deadline (a moved deadline may be missed again)."""
    return _assignment_letters(k.ASSIGNMENT_OVERDUE, "overdue", list(Assignment.objects.overdue(today)))


def protocols_late(today: dt.date) -> int:
    """«Протокол просрочен» (``MeetingQuerySet.protocol_late``): to the community's leader, once per meeting."""
    late = list(Meeting.objects.protocol_late(today).select_related("community").distinct())
    leaders = {}  # one lookup per community, however many of its protocols are late
    for meeting in late:
        if meeting.community_id not in leaders:
            leaders[meeting.community_id] = leader_users(meeting.community, today)
    letters = [
        (f"meeting:{meeting.pk}:protocol_late", user, {"meeting": meeting.pk})
        for meeting in late
        for user in leaders[meeting.community_id]
    ]
    return len(notify_each(k.PROTOCOL_LATE, letters))


def weekly(today: dt.date) -> int:
    """Mondays: the methodists' digest of the district and the leaders of communities at risk or in violation
    (what ``compliance_report --notify`` sent)."""
    from reports.compliance import compliance_for_year

    year = AcademicYear.of(today)
    week = f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
    payload = {"year": year.start_year, "today": today.isoformat()}
    written = len(notify(k.WEEKLY_DIGEST, f"digest:{week}", methodists(), payload))
    behind = [row for row in compliance_for_year(year, today=today) if row.is_behind and row.current_leader]
    leaders = users_by_teacher([row.current_leader for row in behind])
    letters = [
        (
            f"compliance:{row.community.pk}:{week}",
            leaders.get(row.current_leader.pk),
            {**payload, "community": row.community.pk},
        )
        for row in behind
    ]
    return written + len(notify_each(k.COMPLIANCE_AT_RISK, letters))


def digests(today: dt.date) -> int:
    """One letter per person with the day's letters they chose to get «раз в день»."""
    waiting = defaultdict(list)
    rows = Outbox.objects.filter(status=Outbox.Status.PENDING, delivery=Delivery.DAILY).order_by("pk")
    for pk, user_id in rows.values_list("pk", "recipient_id"):
        waiting[user_id].append(pk)
    if not waiting:
        return 0
    written = 0
    users = users_by_pk(waiting)
    for user_id, pks in waiting.items():
        user = users.get(user_id)
        reachable = user is not None and user.is_active
        with transaction.atomic():
            created = notify(k.DAILY_DIGEST, f"daily:{today.isoformat()}", [user], {"rows": pks}) if reachable else []
            included = Outbox.objects.filter(pk__in=pks, status=Outbox.Status.PENDING)
            if created:
                included.update(status=Outbox.Status.DIGESTED, digest_id=created[0])
            elif not reachable:
                included.update(status=Outbox.Status.SKIPPED, last_error="учётная запись отключена")
            # else today's digest went already (a second run): these wait for tomorrow's
        written += len(created)
    return written


def run(today: dt.date, *, weekly_digest: bool | None = None) -> dict[str, int]:
    """Everything of the day; ``weekly_digest``: force (True) or leave out (False) the weekly letters."""
    done = {
        "assignment_due": assignments_due(today),
        "assignment_overdue": assignments_overdue(today),
        "protocol_late": protocols_late(today),
    }
    if weekly_digest or (weekly_digest is None and today.weekday() == WEEKLY_DAY):
        done["weekly"] = weekly(today)
    done["daily_digest"] = digests(today)
    return done
