"""Reports on assignments (поручения): the responsible member says what was done and when.

Only ``status``, ``done_on`` and ``report`` are written, with ``update_fields``, so a report works
after the protocol that gave the assignment is signed (``Assignment.FINAL.editable``).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.access import access_for, require
from meetings.models import Assignment

REPORT_FIELDS = ["status", "done_on", "report"]
REPORT_MESSAGE = "Отчитаться о поручении может ответственный, руководитель ПОС или Департамент."


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("decision__agenda_item__meeting__community")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def assignment_report(*, assignment: Assignment, user, done_on: dt.date | None, report: str) -> Assignment:
    """Mark the assignment done on ``done_on`` with the report text. Done is final for members;
    the leader may reopen it (``assignment_reopen``)."""
    assignment = _locked(assignment)
    access = access_for(user, assignment.decision.agenda_item.meeting.community)
    require(access.can_report(assignment), REPORT_MESSAGE)
    if assignment.status == Assignment.Status.DONE:
        raise ValidationError("Поручение уже отмечено выполненным.")
    assignment.status = Assignment.Status.DONE
    assignment.done_on = done_on
    assignment.report = report.strip()
    assignment.full_clean()
    assignment.save(update_fields=REPORT_FIELDS)
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, user) -> Assignment:
    """Return a done assignment to work (the leader or the Department only); the report text is kept."""
    assignment = _locked(assignment)
    access = access_for(user, assignment.decision.agenda_item.meeting.community)
    require(access.can_manage, "Вернуть поручение в работу может руководитель ПОС.")
    if assignment.status != Assignment.Status.DONE:
        raise ValidationError("Поручение и так в работе.")
    assignment.status = Assignment.Status.OPEN
    assignment.done_on = None
    assignment.full_clean()
    assignment.save(update_fields=REPORT_FIELDS)
    return assignment
