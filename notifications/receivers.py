"""The events that write letters (connected in ``NotificationsConfig.ready``): the signals of the apps below."""

from __future__ import annotations

from django.utils import timezone

from communities.models import Teacher
from notifications import kinds as k
from notifications.outbox import notify, notify_each
from notifications.recipients import leader_users, users_by_teacher, users_of


def protocol_signed(sender, protocol, **kwargs):
    """Inside the signing transaction (the rows go with it if it is rolled back; the tasks are queued after the
    commit): each responsible is told of their assignments, every current member but the signer of the protocol."""
    from meetings.models import Assignment

    meeting = protocol.meeting
    assignments = list(Assignment.objects.filter(decision__agenda_item__meeting=meeting).only("pk", "responsible_id"))
    by_teacher = users_by_teacher([a.responsible_id for a in assignments])
    notify_each(
        k.ASSIGNMENT_GIVEN,
        [(f"assignment:{a.pk}", by_teacher.get(a.responsible_id), {"assignment": a.pk}) for a in assignments],
    )
    members = Teacher.objects.members_of(meeting.community_id, timezone.localdate())
    if protocol.signed_by_id:
        members = members.exclude(pk=protocol.signed_by_id)
    notify(k.PROTOCOL_SIGNED, f"protocol:{protocol.pk}", users_of(members), {"protocol": protocol.pk})


MEETING_KINDS = {"scheduled": k.MEETING_SCHEDULED, "moved": k.MEETING_MOVED, "cancelled": k.MEETING_CANCELLED}


def meeting_changed(sender, meeting, change, by=None, **kwargs):
    """A meeting to come was scheduled, moved or cancelled: its members on the date get the invitation (or its
    cancellation), except who did it. A meeting entered after the fact (held, or dated in the past) is not told."""
    from meetings.models import Meeting

    kind = MEETING_KINDS.get(change)
    if kind is None or meeting.date < timezone.localdate():
        return
    if kind != k.MEETING_CANCELLED and meeting.status != Meeting.Status.PLANNED:
        return
    members = meeting.members_on_date()
    author = getattr(by, "teacher", None) if by is not None else None
    if author is not None:
        members = members.exclude(pk=author.pk)
    notify(
        kind,
        f"meeting:{meeting.pk}:v{meeting.version}:{change}",
        users_of(members),
        {"meeting": meeting.pk, "sequence": meeting.version},
    )


def assignment_returned(sender, assignment, by=None, comment="", **kwargs):
    users = users_of([assignment.responsible_id])
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(k.ASSIGNMENT_RETURNED, f"assignment:{assignment.pk}:returned:{stamp}", users, {"assignment": assignment.pk})


def _moment(at) -> str:
    """The event's moment in its key: the review's own time when the record keeps it, else now (a signal is sent
    once per review, after its commit; the key keeps a retried task from writing twice)."""
    return (at or timezone.now()).strftime("%Y%m%d%H%M%S%f")


def plan_reviewed(sender, plan, approved, by=None, comment="", **kwargs):
    kind = k.PLAN_APPROVED if approved else k.PLAN_RETURNED
    notify(
        kind,
        f"plan:{plan.pk}:{kind}:{_moment(plan.approved_at if approved else None)}",
        leader_users(plan.community, timezone.localdate()),
        {"plan": plan.pk, "comment": comment or ""},
    )


def annual_report_reviewed(sender, report, accepted, by=None, comment="", **kwargs):
    kind = k.REPORT_ACCEPTED if accepted else k.REPORT_RETURNED
    notify(
        kind,
        f"report:{report.pk}:{kind}:{_moment(report.reviewed_at)}",
        leader_users(report.community, timezone.localdate()),
        {"report": report.pk, "comment": comment or ""},
    )
