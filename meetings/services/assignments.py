"""Assignments (поручения) under control, and the follow-up of earlier decisions.

An assignment is under control once its protocol is signed (``AssignmentQuerySet.live``): the responsible member
reports (text or a file) and it goes «на проверке»; they may withdraw the report until the leader decides; the
leader accepts it («выполнено») or returns it with a comment («в работе»); the leader moves a deadline with a reason
(a ``DeadlineChange`` row). A later meeting's question «О выполнении решений предыдущего заседания» lists the
assignments still under control (``follow_up_question_add``), its decision says what became of each
(``follow_ups_save``), and the statuses follow when that protocol is signed (``follow_ups_apply``).

Only the fields of ``Assignment.FINAL.editable`` are written, with ``update_fields``, so all this works after the
protocol that gave the assignment is signed.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator

from communities.access import access_for, require
from meetings.models import (
    FOLLOW_UP_QUESTION,
    AgendaItem,
    Assignment,
    DeadlineChange,
    Decision,
    FollowUp,
    Meeting,
    Protocol,
)
from meetings.services.meetings import _require_protocol, meeting_bump_version
from meetings.signals import assignment_returned

REPORT_FIELDS = ["status", "done_on", "report", "report_file", "report_file_name", "return_comment"]
REPORT_MESSAGE = "Отчитаться о поручении может ответственный, руководитель ПОС или Департамент."
REVIEW_MESSAGE = "Принять или вернуть отчёт может руководитель ПОС."
DEADLINE_MESSAGE = "Перенести срок поручения может руководитель ПОС."
RETURN_COMMENT_MESSAGE = "Напишите, что нужно доделать: ответственный увидит это замечание."
NOT_LIVE_MESSAGE = "Поручение ещё не на контроле: протокол, в котором оно дано, не подписан."


def _locked(assignment: Assignment) -> Assignment:
    """The assignment read again under a row lock (of its own row only: PostgreSQL locks no outer-joined protocol)."""
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("decision__agenda_item__meeting__community", "decision__agenda_item__meeting__protocol")
        .get(pk=assignment.pk)
    )


def _access(assignment: Assignment, user):
    return access_for(user, assignment.meeting.community)


def _require_live(assignment: Assignment) -> None:
    if not assignment.is_live():
        raise ValidationError(NOT_LIVE_MESSAGE)


def _save(assignment: Assignment, fields: list[str]) -> Assignment:
    assignment.full_clean()
    assignment.save(update_fields=fields)
    return assignment


@transaction.atomic
def assignment_report(
    *, assignment: Assignment, user, done_on: dt.date | None, report: str, report_file=None
) -> Assignment:
    """Report the assignment done on ``done_on``: text, a file (checked like a material's), or both; it goes
    «на проверке». ``report_file``: an upload, None to keep the file already attached, False to remove it."""
    assignment = _locked(assignment)
    require(_access(assignment, user).can_report(assignment), REPORT_MESSAGE)
    _require_live(assignment)
    if assignment.status != Assignment.Status.OPEN:
        raise ValidationError(f"Поручение уже не в работе: {assignment.get_status_display().lower()}.")
    assignment.status = Assignment.Status.REVIEW
    assignment.done_on = done_on
    assignment.report = report.strip()
    if report_file is False:
        assignment.report_file = None
        assignment.report_file_name = ""
    elif report_file is not None:
        assignment.report_file = report_file
    return _save(assignment, REPORT_FIELDS)


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment, user) -> Assignment:
    """Take back a report not yet accepted: the assignment is in work again; the text and the file are kept to edit."""
    assignment = _locked(assignment)
    require(_access(assignment, user).can_report(assignment), REPORT_MESSAGE)
    if assignment.status != Assignment.Status.REVIEW:
        raise ValidationError("Отозвать можно только отчёт, который ещё не принят.")
    assignment.status = Assignment.Status.OPEN
    return _save(assignment, REPORT_FIELDS)


@transaction.atomic
def assignment_accept(*, assignment: Assignment, user) -> Assignment:
    """The leader accepts the report: the assignment is done."""
    assignment = _locked(assignment)
    require(_access(assignment, user).can_manage, REVIEW_MESSAGE)
    if assignment.status != Assignment.Status.REVIEW:
        raise ValidationError("Принять можно только отчёт на проверке.")
    assignment.status = Assignment.Status.DONE
    assignment.return_comment = ""
    return _save(assignment, REPORT_FIELDS)


@transaction.atomic
def assignment_return(*, assignment: Assignment, user, comment: str) -> Assignment:
    """The leader returns a report (on review, or already accepted) with a comment the member sees: in work again."""
    assignment = _locked(assignment)
    require(_access(assignment, user).can_manage, REVIEW_MESSAGE)
    if assignment.status not in (Assignment.Status.REVIEW, Assignment.Status.DONE):
        raise ValidationError("Вернуть можно только отчёт на проверке или принятый.")
    if not comment.strip():
        raise ValidationError({"comment": RETURN_COMMENT_MESSAGE})
    assignment.status = Assignment.Status.OPEN
    assignment.return_comment = comment.strip()
    _save(assignment, REPORT_FIELDS)
    transaction.on_commit(
        lambda: assignment_returned.send(
            sender=Assignment, assignment=assignment, by=user, comment=assignment.return_comment
        )
    )
    return assignment


def _move_deadline(
    assignment: Assignment, *, new_deadline: dt.date, reason: str, changed_by=None, protocol=None
) -> DeadlineChange:
    if new_deadline < assignment.meeting.date:
        raise ValidationError({"new_deadline": "Новый срок не может быть раньше заседания, на котором дано поручение."})
    change = DeadlineChange(
        assignment=assignment,
        old_deadline=assignment.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        changed_by=changed_by,
        protocol=protocol,
    )
    change.full_clean()
    change.save()
    assignment.deadline = new_deadline
    _save(assignment, ["deadline"])
    return change


@transaction.atomic
def assignment_move_deadline(*, assignment: Assignment, user, new_deadline: dt.date, reason: str) -> DeadlineChange:
    """The leader moves the deadline of an assignment under control, with a reason kept in its history."""
    assignment = _locked(assignment)
    access = _access(assignment, user)
    require(access.can_manage, DEADLINE_MESSAGE)
    _require_live(assignment)
    if assignment.status not in Assignment.UNDER_CONTROL:
        raise ValidationError("Срок переносят только у поручения на контроле.")
    return _move_deadline(assignment, new_deadline=new_deadline, reason=reason, changed_by=access.teacher)


# The follow-up of earlier decisions.


def follow_up_candidates(meeting: Meeting):
    """The assignments a follow-up question of ``meeting`` lists: given at earlier meetings of the community, their
    protocols signed, still under control (in work, overdue or on review)."""
    return (
        Assignment.objects.under_control()
        .filter(
            decision__agenda_item__meeting__community_id=meeting.community_id,
            decision__agenda_item__meeting__date__lt=meeting.date,
        )
        .select_related("responsible", "decision__agenda_item__meeting__protocol")
        .order_by("deadline", "pk")
    )


#: How much of an assignment's text a follow-up question quotes: its СЛУШАЛИ and РЕШИЛИ list every assignment under
#: control and stay within their limits (pos_portal/limits.py) for some twenty of them.
QUOTED_ASSIGNMENT = 150


def quoted(assignment: Assignment) -> str:
    return Truncator(assignment.text).chars(QUOTED_ASSIGNMENT)


def follow_up_line(assignment: Assignment, today: dt.date) -> str:
    protocol = assignment.meeting.protocol
    state = "просрочено" if assignment.is_overdue(today) else assignment.get_status_display().lower()
    return (
        f"— {quoted(assignment)} (ответственный {assignment.responsible.short_name}, срок "
        f"{assignment.deadline:%d.%m.%Y}; протокол № {protocol.number} от {assignment.meeting.date:%d.%m.%Y}): {state}"
    )


@transaction.atomic
def follow_up_question_add(*, meeting: Meeting) -> AgendaItem:
    """Add the question «О выполнении решений предыдущего заседания» to a draft protocol, after the questions
    already there: СЛУШАЛИ lists the assignments under control (``follow_up_candidates``), each one also a
    ``FollowUp`` row whose outcome the leader then chooses; its decision records them (``follow_ups_save``)."""
    _require_protocol(meeting)
    if AgendaItem.objects.filter(meeting=meeting, follow_up=True).exists():
        raise ValidationError("Вопрос о выполнении решений уже есть в повестке.")
    assignments = list(follow_up_candidates(meeting))
    today = meeting.date
    heard = "О ходе выполнения поручений предыдущих заседаний:\n" + "\n".join(
        follow_up_line(assignment, today) for assignment in assignments
    )
    item = AgendaItem(
        meeting=meeting,
        order=meeting.next_question_order(),
        question=FOLLOW_UP_QUESTION,
        follow_up=True,
        heard=heard if assignments else "Поручений на контроле нет.",
    )
    item.full_clean()
    item.save()
    for assignment in assignments:
        row = FollowUp(agenda_item=item, assignment=assignment)
        row.full_clean()
        row.save()
    decision = Decision(agenda_item=item, order=1, text=follow_up_decision_text(item))
    decision.full_clean()
    decision.save()
    item.meeting.check_protocol_text()
    return item


def follow_up_decision_text(item: AgendaItem) -> str:
    """РЕШИЛИ of a follow-up question, from its rows: what is done, extended (to when), taken off control, kept."""
    rows = list(item.follow_ups.select_related("assignment__responsible").order_by("assignment__deadline", "pk"))
    groups = {outcome: [] for outcome in FollowUp.Outcome}
    for row in rows:
        label = f"«{quoted(row.assignment)}» ({row.assignment.responsible.short_name})"
        if row.outcome == FollowUp.Outcome.EXTEND:
            label += f" — до {row.new_deadline:%d.%m.%Y}"
        groups[FollowUp.Outcome(row.outcome)].append(label)
    headings = {
        FollowUp.Outcome.DONE: "Считать выполненными поручения",
        FollowUp.Outcome.EXTEND: "Продлить срок поручений",
        FollowUp.Outcome.CANCEL: "Снять с контроля поручения",
        FollowUp.Outcome.PENDING: "Оставить на контроле поручения",
    }
    # The decision point is numbered by the protocol («4.1.»): its parts are dashed lines, never numbered again.
    parts = [f"{headings[outcome]}: {'; '.join(groups[outcome])}" for outcome in headings if groups[outcome]]
    if not parts:
        return "Информацию о выполнении решений принять к сведению."
    if len(parts) == 1:
        return f"{parts[0]}."
    return "По поручениям предыдущего заседания:\n" + ";\n".join(f"– {part}" for part in parts) + "."


@transaction.atomic
def follow_ups_save(*, item: AgendaItem, rows: list[FollowUp], expected_version: int) -> AgendaItem:
    """Save the outcomes chosen for the follow-up question's rows and rewrite its first decision from them."""
    if not item.follow_up:
        raise ValidationError("Это не вопрос о выполнении решений.")
    meeting_bump_version(meeting=item.meeting, expected_version=expected_version)
    for row in rows:
        if row.agenda_item_id != item.pk:
            raise ValidationError("Поручение не относится к этому вопросу.")
        row.full_clean()
        row.save()
    decision = item.decisions.order_by("order").first() or Decision(agenda_item=item, order=1)
    decision.text = follow_up_decision_text(item)
    decision.full_clean()
    decision.save()
    item.meeting.check_protocol_text()
    return item


def follow_ups_apply(*, protocol: Protocol) -> None:
    """When ``protocol`` is signed, the assignments its follow-up questions decided on change: «выполнено» closes
    one still under control (a report on review is accepted), «продлить» moves its deadline (a ``DeadlineChange``
    naming the protocol), «снять с контроля» closes it without completion."""
    meeting = protocol.meeting
    rows = (
        FollowUp.objects.filter(agenda_item__meeting=meeting)
        .exclude(outcome=FollowUp.Outcome.PENDING)
        .select_related("assignment__decision__agenda_item__meeting")
        .order_by("pk")
    )
    reason = f"Решение протокола № {protocol.number} от {meeting.date:%d.%m.%Y}"
    for row in rows:
        assignment = _locked(row.assignment)
        if assignment.status not in Assignment.UNDER_CONTROL:
            continue  # closed in the meantime (accepted by the leader, say)
        if row.outcome == FollowUp.Outcome.DONE:
            assignment.status = Assignment.Status.DONE
            assignment.done_on = assignment.done_on or meeting.date
            _save(assignment, REPORT_FIELDS)
        elif row.outcome == FollowUp.Outcome.CANCEL:
            assignment.status = Assignment.Status.CANCELLED
            _save(assignment, REPORT_FIELDS)
        elif row.outcome == FollowUp.Outcome.EXTEND and row.new_deadline != assignment.deadline:
            _move_deadline(assignment, new_deadline=row.new_deadline, reason=reason, protocol=protocol)


def apply_follow_ups_on_signing(sender, protocol, **kwargs):
    """``meetings.signals.protocol_signed``: inside the signing transaction, so a failure undoes the signing."""
    follow_ups_apply(protocol=protocol)
