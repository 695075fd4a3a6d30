"""Writes of the meetings app: protocols are created, numbered and signed only here."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communities.models import Community, Teacher
from communities.models.versioned import VersionConflict
from meetings.models import (
    AgendaItem,
    Assignment,
    Attendance,
    Decision,
    Guest,
    Meeting,
    Protocol,
    ProtocolCorrection,
    SignedProtocolError,
    Speaker,
)
from meetings.models.protocols import protocol_numbering
from meetings.signals import meeting_changed, protocol_corrected, protocol_signed
from pos_portal.academic_year import AcademicYear

# What ``meetings.services`` re-exports (``from meetings.services import protocol_sign``).
__all__ = [
    "EDIT_CONFLICT_MESSAGE",
    "SIGN_CONFLICT_MESSAGE",
    "DecisionChange",
    "MeetingVersionConflict",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_save",
    "attendance_prefill",
    "meeting_attendance_save",
    "meeting_bump_version",
    "meeting_create",
    "meeting_update",
    "protocol_correct",
    "protocol_create",
    "protocol_renumber",
    "protocol_sign",
    "protocol_sign_as_seen",
    "speakers_save",
]


@transaction.atomic
def attendance_prefill(*, meeting: Meeting) -> list[Attendance]:
    """Mark every member on the meeting date as present, unless already marked."""
    marked = set(meeting.attendance.values_list("teacher_id", flat=True))
    rows = [
        Attendance(meeting=meeting, teacher=teacher, present=True)
        for teacher in meeting.members_on_date()
        if teacher.pk not in marked
    ]
    for row in rows:
        row.save()
    return rows


@transaction.atomic
def protocol_create(
    *, meeting: Meeting, chair: Teacher | None = None, secretary: Teacher | None = None, place: str = ""
) -> Protocol:
    """Create the protocol of a held meeting with the next number of its community's year.

    Numbers are unique and gapless per community and academic year. Two leaders saving at the
    same moment are serialised by locking the community row (PostgreSQL ``SELECT … FOR UPDATE``;
    SQLite takes a database-wide write lock); the unique constraint is the last line of defence.
    """
    community = Community.objects.select_for_update().get(pk=meeting.community_id)
    year = AcademicYear.of(meeting.date)
    last = Protocol.objects.filter(community=community, academic_year=year).aggregate(last=Max("number"))["last"]
    town = community.organization.town if community.organization_id else ""
    protocol = Protocol(
        meeting=meeting,
        community=community,
        academic_year=year,
        number=(last or 0) + 1,
        chair=chair or community.leader_on(meeting.date),
        secretary=secretary,
        place=place or town or "г. Тутаев",
    )
    protocol.full_clean()
    protocol.save()
    _renumber_drafts(community.pk, year)
    protocol.refresh_from_db(fields=["number"])
    return protocol


@transaction.atomic
def protocol_renumber(*, community_id: int, year: AcademicYear) -> None:
    """Number the drafts of a community's year in the order of their meetings' dates (``protocol_numbering``), after
    a meeting's date changed; serialised with ``protocol_create`` by the same lock of the community row."""
    Community.objects.select_for_update().get(pk=community_id)
    _renumber_drafts(community_id, year)


def _renumber_drafts(community_id: int, year: AcademicYear) -> None:
    """Move the drafts whose number no longer follows the dates. In two steps, past the highest number first, so
    that the unique (community, year, number) holds after every statement, on SQLite and PostgreSQL alike. Call
    with the community row locked."""
    target = protocol_numbering(community_id, year)
    year_protocols = Protocol.objects.filter(community_id=community_id, academic_year=year)
    moving = [protocol for protocol in year_protocols.drafts() if protocol.number != target[protocol.meeting_id]]
    if not moving:
        return
    top = year_protocols.aggregate(top=Max("number"))["top"]
    for step, protocol in enumerate(moving, start=1):
        Protocol.objects.filter(pk=protocol.pk).update(number=top + step)
    for protocol in moving:
        protocol.number = target[protocol.meeting_id]
        protocol.save(update_fields=["number", "updated_at"])


@transaction.atomic
def protocol_sign(*, protocol: Protocol, user) -> Protocol:
    """Sign a protocol as ``user``'s teacher. Only the community's leader on the day of signing signs (a protocol
    left unsigned at a change of leader is signed by the successor; its chair stays who chaired), and only a
    protocol with nothing in ``Protocol.signing_problems``."""
    protocol = Protocol.objects.select_for_update().select_related("meeting__community").get(pk=protocol.pk)
    teacher = getattr(user, "teacher", None)
    problems = protocol.signing_problems(teacher)
    if problems:
        raise ValidationError(problems)
    quorum = protocol.quorum()  # below quorum it is signed still (the leader decides), and says so
    protocol.quorum_present, protocol.quorum_members, protocol.quorum_reached = (
        quorum.present,
        quorum.members,
        quorum.reached,
    )
    protocol.signed_by = teacher
    protocol.signed_at = timezone.now()
    protocol.save(
        update_fields=[
            "signed_by",
            "signed_at",
            "quorum_present",
            "quorum_members",
            "quorum_reached",
            "updated_at",
        ]
    )
    # Inside the transaction: a receiver that fails (the PDF of the signed protocol, say) undoes the signing.
    protocol_signed.send(sender=Protocol, protocol=protocol)
    return protocol


@transaction.atomic
def protocol_correct(
    *,
    protocol: Protocol,
    author: Teacher | None,
    text: str,
    reason: str,
    decision: Decision | None = None,
    agenda_item: AgendaItem | None = None,
    new_text: str = "",
) -> ProtocolCorrection:
    """Add a correction to a signed protocol: a new linked record, never an edit, numbered next within the protocol
    (its row locked, so two corrections at once get 1 and 2). Its author is the community's leader today, who signs
    it as the protocol is signed (``author`` is None for a user with no teacher profile: refused the same way).
    ``decision`` with ``new_text``: the decision's new wording. Sends ``protocol_corrected`` inside the transaction:
    a receiver that fails (the correction's PDF) undoes the correction."""
    if not protocol.community.is_led_by(author, timezone.localdate()):
        raise ValidationError("Исправление к протоколу вносит действующий руководитель ПОС.")
    Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
    correction = ProtocolCorrection(
        protocol=protocol,
        author=author,
        text=text,
        reason=reason,
        decision=decision,
        agenda_item=agenda_item,  # ProtocolCorrection.clean fills it from the decision
        new_text=new_text,
    )
    correction.full_clean(exclude=["number"])
    correction.save()
    protocol_corrected.send(sender=ProtocolCorrection, correction=correction)
    return correction


# --- The protocol editor -----------------------------------------------------------------------------------------

EDIT_CONFLICT_MESSAGE = (
    "Протокол уже изменил другой пользователь. Ваши изменения не сохранены: обновите страницу и внесите их снова "
    "(ваш текст остался в форме)."
)


class MeetingVersionConflict(VersionConflict):
    """The meeting (with its protocol) was saved by someone else since the editor was opened."""

    def __init__(self, message=EDIT_CONFLICT_MESSAGE):
        super().__init__(message)


def meeting_bump_version(*, meeting: Meeting, expected_version: int) -> Meeting:
    """Optimistic locking of the protocol editor (``VersionedModel.bump_version``): move the meeting to the next
    version if it is still at ``expected_version`` (the version the editor was opened on), or raise
    ``MeetingVersionConflict``; a signed protocol's meeting is refused as signed."""
    try:
        return meeting.bump_version(expected_version)
    except SignedProtocolError as error:
        raise ValidationError(error.message, code="signed") from None
    except VersionConflict:
        raise MeetingVersionConflict() from None


@transaction.atomic
def meeting_create(
    *,
    meeting: Meeting,
    chair: Teacher | None = None,
    secretary: Teacher | None = None,
    follow_up: bool = False,
    by=None,
) -> Meeting:
    """Save a new meeting; a meeting created as held gets its protocol (with ``chair``, by default the leader on
    the meeting date, and ``secretary``, as asked on the form) and a pre-filled attendance; with ``follow_up``, its
    first question is «О выполнении решений предыдущего заседания» (``assignments.follow_up_question_add``)."""
    from meetings.services.assignments import follow_up_question_add  # it builds on this module

    if follow_up and meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            {"follow_up": "Вопрос о выполнении решений записывается в протокол проведённого заседания."}
        )
    meeting.full_clean()
    meeting.save()
    if meeting.status == Meeting.Status.HELD:
        protocol_create(meeting=meeting, chair=chair, secretary=secretary)
        attendance_prefill(meeting=meeting)
        if follow_up:
            follow_up_question_add(meeting=meeting)
    _changed_on_commit(meeting, "scheduled", by)
    return meeting


def _changed_on_commit(meeting: Meeting, change: str, by) -> None:
    """``meetings.signals.meeting_changed`` once the transaction commits (the mail of ``notifications``)."""
    transaction.on_commit(lambda: meeting_changed.send(sender=Meeting, meeting=meeting, change=change, by=by))


def meeting_change_kind(stored: tuple, meeting: Meeting) -> str:
    """What a save did to the meeting, as ``meeting_changed`` says it: "cancelled" (it became cancelled), "moved"
    (its date, time or place changed) or "" (nothing a member is told about). ``stored``: (status, date, time,
    place) as they were."""
    status, date, time, place = stored
    if meeting.status == Meeting.Status.CANCELLED:
        return "cancelled" if status != Meeting.Status.CANCELLED else ""
    if (meeting.date, meeting.time, meeting.place) != (date, time, place):
        return "moved"
    return ""


@transaction.atomic
def meeting_update(*, meeting: Meeting, expected_version: int, protocol: Protocol | None = None, by=None) -> Meeting:
    """Save the meeting (and its draft protocol) as changed in the editor. A meeting that is held but has
    no protocol yet gets one, with a pre-filled attendance. A move or a cancellation is told
    (``meeting_changed``, after the commit)."""
    meeting_bump_version(meeting=meeting, expected_version=expected_version)
    stored = Meeting.objects.filter(pk=meeting.pk).values_list("status", "date", "time", "place").get()
    stored_when = stored[1:3]
    meeting.full_clean()
    meeting.save()
    if protocol is not None:
        protocol.full_clean()
        protocol.save()
        if (meeting.date, meeting.time) != stored_when:  # the drafts' numbers follow the dates
            protocol_renumber(community_id=meeting.community_id, year=protocol.academic_year)
    elif meeting.status == Meeting.Status.HELD and not Protocol.objects.filter(meeting=meeting).exists():
        chair, secretary = Protocol.officers_on(meeting.community, meeting.date)
        protocol_create(meeting=meeting, chair=chair, secretary=secretary)
        attendance_prefill(meeting=meeting)
    if change := meeting_change_kind(stored, meeting):
        _changed_on_commit(meeting, change, by)
    return meeting


@transaction.atomic
def meeting_attendance_save(
    *,
    meeting: Meeting,
    expected_version: int,
    attendance: list[dict],
    guests: list[dict],
    confirmed_by: Teacher | None = None,
) -> Meeting:
    """Replace the attendance rows of the given members and the list of invited guests, and record that the
    attendance was confirmed (by ``confirmed_by``, now): a protocol is signed only after it was.

    ``attendance``: dicts with ``teacher``, ``present``, ``absence_reason``;
    ``guests``: dicts with ``full_name``, ``position``, ``organization``.
    """
    meeting_bump_version(meeting=meeting, expected_version=expected_version)
    teachers = [row["teacher"] for row in attendance]
    if len({teacher.pk for teacher in teachers}) != len(teachers):
        raise ValidationError("Педагог отмечен в списке дважды.")
    meeting.attendance.filter(teacher__in=teachers).delete()
    for row in attendance:
        record = Attendance(
            meeting=meeting,
            teacher=row["teacher"],
            present=row["present"],
            absence_reason=row.get("absence_reason", ""),
        )
        record.full_clean()
        record.save()
    meeting.guests.all().delete()
    for row in guests:
        guest = Guest(
            meeting=meeting,
            full_name=row["full_name"],
            position=row.get("position", ""),
            organization=row.get("organization", ""),
        )
        guest.full_clean()
        guest.save()
    meeting.attendance_confirm(confirmed_by)
    return meeting


@dataclass
class DecisionChange:
    """One decision as edited with its question: ``decision`` carries the new text and votes (unsaved,
    ``pk`` None for a new one); an assignment is given when both ``responsible`` and ``deadline`` are."""

    decision: Decision
    responsible: Teacher | None = None
    deadline: dt.date | None = None
    delete: bool = False


def _require_protocol(meeting: Meeting) -> None:
    if not Protocol.objects.filter(meeting=meeting).exists():
        raise ValidationError("Вопросы повестки записываются в протокол проведённого заседания.")


@transaction.atomic
def agenda_item_save(
    *,
    item: AgendaItem,
    decisions: list[DecisionChange],
    expected_version: int,
    speakers: list[tuple[Speaker, bool]] = (),
    ordered: bool = False,
) -> AgendaItem:
    """Save a question of the agenda with its speakers (``(speaker, delete)``, see ``speakers_save``) and its
    decisions, numbered 1, 2, … in order, and the assignments they give: an assignment follows its decision's
    text, and goes when its responsible or deadline is cleared. With ``ordered``, ``decisions`` are the points in
    their new order (moved up or down on the page): they are numbered in that order, any stored point not among
    them after them.
    """
    meeting = item.meeting
    meeting_bump_version(meeting=meeting, expected_version=expected_version)
    _require_protocol(meeting)
    if item.order is None:  # a new question written on the meeting page goes last
        item.order = meeting.next_question_order()
    item.full_clean()
    item.save()
    speakers_save(item=item, speakers=speakers)
    for change in decisions:
        if change.delete and change.decision.pk:
            change.decision.delete()
    kept = [change for change in decisions if not change.delete]
    changed = {change.decision.pk: change for change in kept if change.decision.pk}
    # Existing points keep their relative order and move up into freed numbers, new ones follow; going
    # upwards through the sequence, a number is always free when it is taken. Points not in ``decisions``
    # stay as they are, in their place.
    stored = list(Decision.objects.filter(agenda_item=item).order_by("order"))
    if ordered:
        sequence = [*kept, *(decision for decision in stored if decision.pk not in changed)]
        # Any order: every stored point first out of the way, above the highest number, so each number is free.
        top = max((decision.order for decision in stored), default=0)
        for offset, decision in enumerate(stored, start=1):
            decision.order = top + offset
            decision.save(update_fields=["order"])
    else:
        sequence = [changed.get(decision.pk, decision) for decision in stored]
        sequence += [change for change in kept if not change.decision.pk]
    for number, entry in enumerate(sequence, start=1):
        change = entry if isinstance(entry, DecisionChange) else None
        decision = change.decision if change else entry
        if change is None and decision.order == number:
            continue
        decision.agenda_item = item
        decision.order = number
        decision.full_clean()
        decision.save()
        if change is not None:
            _assignment_sync(decision=decision, responsible=change.responsible, deadline=change.deadline)
    meeting.check_protocol_text()
    return item


def speakers_save(*, item: AgendaItem, speakers: list[tuple[Speaker, bool]]) -> None:
    """Delete the speakers marked so and save the others, numbered 1, 2, … : the stored ones keep their relative
    order and move up into freed numbers, new ones follow (going upwards, a number is always free when taken)."""
    for speaker, delete in speakers:
        if delete and speaker.pk:
            speaker.delete()
    kept = [speaker for speaker, delete in speakers if not delete]
    changed = {speaker.pk: speaker for speaker in kept if speaker.pk}
    stored = [changed.get(row.pk, row) for row in Speaker.objects.filter(agenda_item=item).order_by("order")]
    sequence = stored + [speaker for speaker in kept if not speaker.pk]
    for number, speaker in enumerate(sequence, start=1):
        if speaker.pk not in changed and speaker.pk and speaker.order == number:
            continue
        speaker.agenda_item = item
        speaker.order = number
        speaker.full_clean()
        speaker.save()


def _assignment_sync(*, decision: Decision, responsible: Teacher | None, deadline: dt.date | None) -> None:
    assignment = decision.assignments.order_by("pk").first()
    if responsible is None or deadline is None:
        if assignment is not None:
            assignment.delete()
        return
    if assignment is None:
        assignment = Assignment(decision=decision)
    assignment.text = decision.text
    assignment.responsible = responsible
    assignment.deadline = deadline
    assignment.full_clean()
    assignment.save()


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, expected_version: int) -> None:
    """Delete a question (with its decisions and assignments); the later questions move up a number."""
    meeting = item.meeting
    meeting_bump_version(meeting=meeting, expected_version=expected_version)
    order = item.order
    item.delete()
    for later in AgendaItem.objects.filter(meeting=meeting, order__gt=order).order_by("order"):
        later.order -= 1
        later.save(update_fields=["order"])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, expected_version: int) -> AgendaItem:
    """Move a question one place up (``up``) or down the agenda: it changes numbers with its neighbour, and the
    decisions follow their question (1.2 becomes 2.2). The first question does not move up, nor the last down."""
    meeting = item.meeting
    meeting_bump_version(meeting=meeting, expected_version=expected_version)
    item = AgendaItem.objects.get(pk=item.pk)
    items = AgendaItem.objects.filter(meeting=meeting)
    if up:
        neighbour = items.filter(order__lt=item.order).order_by("-order").first()
    else:
        neighbour = items.filter(order__gt=item.order).order_by("order").first()
    if neighbour is None:
        return item
    mine, theirs = item.order, neighbour.order
    # Through a free number: (meeting, order) is unique at every step.
    item.order = meeting.next_question_order()
    item.save(update_fields=["order"])
    neighbour.order = mine
    neighbour.save(update_fields=["order"])
    item.order = theirs
    item.save(update_fields=["order"])
    return item


SIGN_CONFLICT_MESSAGE = (
    "Протокол изменили после того, как вы открыли страницу подписи. Он не подписан: проверьте его и подпишите снова."
)


@transaction.atomic
def protocol_sign_as_seen(*, protocol: Protocol, user, expected_version: int | None = None) -> Protocol:
    """Sign the protocol as the signer saw it: with ``expected_version`` (the meeting's version on the
    confirmation page), a draft changed in the meantime is not signed."""
    fresh = Protocol.objects.select_for_update().get(pk=protocol.pk)
    if expected_version is not None and not fresh.is_signed:
        try:
            meeting_bump_version(meeting=protocol.meeting, expected_version=expected_version)
        except MeetingVersionConflict:
            raise MeetingVersionConflict(SIGN_CONFLICT_MESSAGE) from None
    return protocol_sign(protocol=protocol, user=user)
