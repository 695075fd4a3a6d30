"""Writes of the meetings app: protocols are created, numbered and signed only here."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communities.models import Community, Teacher
from meetings.models import Attendance, Meeting, Protocol, ProtocolCorrection
from pos_portal.academic_year import AcademicYear


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
    return protocol


@transaction.atomic
def protocol_sign(*, protocol: Protocol, user) -> Protocol:
    """Sign a protocol as ``user``'s teacher. Only the community's leader on the meeting date signs,
    and only a protocol in which every question has a decision and attendance is recorded."""
    protocol = Protocol.objects.select_for_update().select_related("meeting__community").get(pk=protocol.pk)
    teacher = getattr(user, "teacher", None)
    problems = protocol.signing_problems(teacher)
    if problems:
        raise ValidationError(problems)
    protocol.signed_by = teacher
    protocol.signed_at = timezone.now()
    protocol.save(update_fields=["signed_by", "signed_at", "updated_at"])
    return protocol


def protocol_correct(*, protocol: Protocol, author: Teacher, text: str, reason: str) -> ProtocolCorrection:
    """Add a correction to a signed protocol: a new linked record, never an edit."""
    leader = protocol.community.leader_on(timezone.localdate())
    if leader is None or leader.pk != author.pk:
        raise ValidationError("Исправление к протоколу вносит действующий руководитель ПОС.")
    correction = ProtocolCorrection(protocol=protocol, author=author, text=text, reason=reason)
    correction.full_clean()
    correction.save()
    return correction
