"""The figures of the annual activity report, compiled from what the portal already holds.

For one community and academic year: the plan against the fact (every plan item with the meeting that
fulfilled it), the meetings held (date, form, topic, attendance, protocol) and their count by form, the sessions
held against the minimum of regulation 4.2, the attendance rate, decisions and the assignments given (with who, by
when and whether done), the materials produced and the composition of the community.

A *session held* is, as everywhere, a held meeting of a form that counts as a session (``communities.activity``)
whose protocol is signed (``Meeting.objects.session_held_q``), and it is compared with the number the community
needs that year (``communities.activity.required_sessions``: pro-rated for a community founded during the year),
so the report says what the dashboard and the community page say. Held meetings of other forms are reported by
form, and counted in attendance, decisions and assignments, but not against the minimum.

``annual_figures`` runs a fixed number of queries (10 without a plan, 11 with one), whatever the number of
meetings, items, members or materials.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from communities.activity import ActivityForm, minimum_sessions, prorated_note, required_sessions
from communities.models import AnnualPlan, Community, Material, Membership, PlanItem, Teacher
from communities.models.people import count_by_category, count_by_position
from meetings.models import Assignment, Attendance, Decision, Meeting
from pos_portal.academic_year import AcademicYear
from pos_portal.russian import plural

NOT_FULFILLED = "не выполнено"


@dataclass
class PlanRow:
    """One plan item against the fact."""

    number: int
    item: PlanItem
    when: str
    form_label: str
    kind_label: str
    counts_as_session: bool
    meeting: Meeting | None
    fulfilled: bool
    protocol_number: int | None
    protocol_signed: bool
    fact: str  # «выполнено 15.10.2024, протокол № 1 подписан» / «не выполнено» / «не выполнено: отменено …»


@dataclass
class FormRow:
    """Held meetings of one form of work."""

    form: str
    label: str
    kind_label: str
    counts_as_session: bool
    held: int
    signed: int


@dataclass
class MeetingRow:
    """One held meeting of the year, as the report lists it."""

    number: int
    meeting: Meeting
    form_label: str
    counts_as_session: bool
    present: int
    recorded: int
    protocol_number: int | None
    protocol_signed: bool

    @property
    def attendance(self) -> str:
        """«5 из 6», or «не отмечалось»."""
        return f"{self.present} из {self.recorded}" if self.recorded else "не отмечалось"

    @property
    def protocol(self) -> str:
        """«протокол № 1», «протокол № 2 (проект)» or «без протокола»."""
        if self.protocol_number is None:
            return "без протокола"
        return f"протокол № {self.protocol_number}" + ("" if self.protocol_signed else " (проект)")


@dataclass
class AssignmentRow:
    """One assignment given at a held meeting of the year (of a signed protocol)."""

    number: int
    text: str
    responsible: str
    deadline: dt.date
    given_on: dt.date
    state: str  # «выполнено 30.10.2024» / «в работе» / «на проверке» / «просрочено» / the status as stored
    overdue: bool = False  # its state is «просрочено» (the page marks it)


@dataclass
class CountRow:
    label: str
    count: int


@dataclass
class MemberChange:
    teacher: Teacher
    on: dt.date


@dataclass
class Composition:
    count: int = 0
    at_end: int = 0
    by_position: list[CountRow] = field(default_factory=list)
    by_category: list[CountRow] = field(default_factory=list)
    joined: list[MemberChange] = field(default_factory=list)
    left: list[MemberChange] = field(default_factory=list)

    @property
    def count_label(self) -> str:
        return f"{self.count} {plural(self.count, 'педагог', 'педагога', 'педагогов')}"


@dataclass
class MaterialRow:
    title: str
    kind_label: str
    authors: list[str]
    created_on: dt.date


@dataclass
class AnnualFigures:
    community: Community
    year: AcademicYear
    today: dt.date
    plan: AnnualPlan | None
    plan_rows: list[PlanRow]
    meetings: list[MeetingRow]
    forms: list[FormRow]
    minimum: int  # of regulation 4.2 for a whole year
    required: int  # for this community and year: the minimum, pro-rated when founded during the year
    sessions_held: int  # counting forms, held, protocol signed
    sessions_unsigned: int  # counting forms, held, protocol missing or not signed
    meetings_held: int  # every form
    meetings_cancelled: int
    attendance_present: int
    attendance_recorded: int
    decisions: int
    assignments_total: int
    assignments_done: int
    assignments_open: int  # still open, overdue ones included
    assignments_overdue: int
    assignments: list[AssignmentRow]
    materials: list[MaterialRow]
    composition: Composition

    @property
    def plan_items(self) -> int:
        return len(self.plan_rows)

    @property
    def plan_fulfilled(self) -> int:
        return sum(1 for row in self.plan_rows if row.fulfilled)

    @property
    def plan_not_fulfilled(self) -> int:
        return self.plan_items - self.plan_fulfilled

    @property
    def minimum_met(self) -> bool:
        return self.sessions_held >= self.required

    @property
    def sessions_missing(self) -> int:
        return max(0, self.required - self.sessions_held)

    @property
    def prorated_note(self) -> str:
        """«создано 15.01.2025, минимум пропорционально: 3», or "" for a community that existed all year."""
        return prorated_note(self.community, self.year)

    @property
    def attendance_rate(self) -> float | None:
        """Present over recorded attendance at the held meetings, in per cent (one decimal); None without records."""
        if not self.attendance_recorded:
            return None
        return round(100 * self.attendance_present / self.attendance_recorded, 1)


def _plan_rows(plan: AnnualPlan | None) -> list[PlanRow]:
    if plan is None:
        return []
    items = PlanItem.objects.filter(plan=plan).select_related("responsible", "meeting__protocol")
    rows = []
    for number, item in enumerate(items, start=1):
        meeting = getattr(item, "meeting", None) if item.pk else None
        form = ActivityForm(item.form)
        protocol = getattr(meeting, "protocol", None) if meeting is not None else None
        fulfilled = meeting is not None and meeting.status == Meeting.Status.HELD
        signed = protocol is not None and protocol.is_signed
        if fulfilled:
            fact = f"выполнено {meeting.date:%d.%m.%Y}"
            if protocol is None:
                fact += ", протокола нет"
            else:
                fact += f", протокол № {protocol.number} " + ("подписан" if signed else "не подписан (проект)")
        elif meeting is not None and meeting.status == Meeting.Status.CANCELLED:
            fact = f"{NOT_FULFILLED}: отменено ({meeting.cancel_reason})"
        elif meeting is not None:
            fact = f"{NOT_FULFILLED}: назначено на {meeting.date:%d.%m.%Y}"
        else:
            fact = NOT_FULFILLED
        rows.append(
            PlanRow(
                number=number,
                item=item,
                when=item.when,
                form_label=form.label,
                kind_label=form.kind.label,
                counts_as_session=form.counts_as_session,
                meeting=meeting,
                fulfilled=fulfilled,
                protocol_number=protocol.number if protocol is not None else None,
                protocol_signed=signed,
                fact=fact,
            )
        )
    return rows


def _meetings(community: Community, year: AcademicYear) -> list[MeetingRow]:
    """The held meetings of the year in date order, each with its attendance and protocol: one query."""
    meetings = (
        Meeting.objects.in_year(year)
        .filter(community=community, status=Meeting.Status.HELD)
        .select_related("protocol")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            recorded_count=Count("attendance"),
        )
        .order_by("date", "time", "pk")
    )
    rows = []
    for number, meeting in enumerate(meetings, start=1):
        form = ActivityForm(meeting.form)
        protocol = getattr(meeting, "protocol", None)
        rows.append(
            MeetingRow(
                number=number,
                meeting=meeting,
                form_label=form.label,
                counts_as_session=form.counts_as_session,
                present=meeting.present_count,
                recorded=meeting.recorded_count,
                protocol_number=protocol.number if protocol is not None else None,
                protocol_signed=protocol is not None and protocol.is_signed,
            )
        )
    return rows


def _assignment_state(assignment: Assignment, today: dt.date) -> str:
    if assignment.status == Assignment.Status.DONE:
        return f"выполнено {assignment.done_on:%d.%m.%Y}" if assignment.done_on else "выполнено"
    if assignment.is_overdue(today):
        return "просрочено"
    return assignment.get_status_display().lower()


def _assignments(held_meeting: dict, today: dt.date) -> list[AssignmentRow]:
    """The live assignments of the year's held meetings, in the order they were given: one query."""
    assignments = (
        Assignment.objects.live()
        .filter(**{f"decision__agenda_item__meeting__{key}": value for key, value in held_meeting.items()})
        .select_related("responsible", "decision__agenda_item__meeting")
        .order_by("decision__agenda_item__meeting__date", "decision__agenda_item__order", "decision__order", "pk")
    )
    return [
        AssignmentRow(
            number=number,
            text=assignment.text,
            responsible=assignment.responsible.short_name,
            deadline=assignment.deadline,
            given_on=assignment.decision.agenda_item.meeting.date,
            state=_assignment_state(assignment, today),
            overdue=assignment.is_overdue(today),
        )
        for number, assignment in enumerate(assignments, start=1)
    ]


def _composition(community: Community, year: AcademicYear, today: dt.date) -> Composition:
    memberships = list(
        Membership.objects.active_during(year)
        .filter(community=community)
        .select_related("teacher")
        .order_by("teacher__surname", "teacher__name", "teacher__patronymic", "joined_on", "pk")
    )
    teachers = {membership.teacher_id: membership.teacher for membership in memberships}
    end = min(year.end, today)
    at_end = {membership.teacher_id for membership in memberships if membership.is_active_on(end)}

    by_position = [CountRow(label, count) for label, count in count_by_position(teachers.values())]
    by_category = [CountRow(label, count) for label, count in count_by_category(teachers.values())]
    joined = [
        MemberChange(membership.teacher, membership.joined_on)
        for membership in memberships
        if membership.joined_on in year
    ]
    left = [
        MemberChange(membership.teacher, membership.left_on)
        for membership in memberships
        if membership.left_on is not None and membership.left_on in year
    ]
    joined.sort(key=lambda change: change.on)
    left.sort(key=lambda change: change.on)
    return Composition(
        count=len(teachers),
        at_end=len(at_end),
        by_position=by_position,
        by_category=by_category,
        joined=joined,
        left=left,
    )


def annual_figures(community: Community, year: AcademicYear, *, today: dt.date | None = None) -> AnnualFigures:
    """The figures of ``community``'s annual report for ``year``, in a fixed number of queries."""
    today = today or timezone.localdate()

    plan = AnnualPlan.objects.filter(community=community, academic_year=year).first()
    plan_rows = _plan_rows(plan)

    by_form_status = (
        Meeting.objects.in_year(year)
        .filter(community=community)
        .order_by()
        .values("form", "status")
        .annotate(
            total=Count("pk"),
            signed=Count("pk", filter=Q(protocol__signed_at__isnull=False)),
            sessions=Count("pk", filter=Meeting.objects.session_held_q()),
            unsigned=Count("pk", filter=Meeting.objects.session_unsigned_q()),
        )
    )
    held: Counter[str] = Counter()
    signed: Counter[str] = Counter()
    cancelled = sessions_held = sessions_unsigned = 0
    for row in by_form_status:
        sessions_held += row["sessions"]
        sessions_unsigned += row["unsigned"]
        if row["status"] == Meeting.Status.HELD:
            held[row["form"]] += row["total"]
            signed[row["form"]] += row["signed"]
        elif row["status"] == Meeting.Status.CANCELLED:
            cancelled += row["total"]
    forms = [
        FormRow(
            form=form.value,
            label=form.label,
            kind_label=form.kind.label,
            counts_as_session=form.counts_as_session,
            held=held[form.value],
            signed=signed[form.value],
        )
        for form in ActivityForm
        if held[form.value]
    ]

    held_meeting = {
        "community": community,
        "status": Meeting.Status.HELD,
        "date__range": (year.start, year.end),
    }
    attendance = Attendance.objects.filter(
        **{f"meeting__{key}": value for key, value in held_meeting.items()}
    ).aggregate(recorded=Count("pk"), present=Count("pk", filter=Q(present=True)))
    decisions = Decision.objects.filter(
        **{f"agenda_item__meeting__{key}": value for key, value in held_meeting.items()}
    ).count()
    # Only the assignments of signed protocols count (``live``): a draft's are not given yet.
    assignments = (
        Assignment.objects.live()
        .filter(**{f"decision__agenda_item__meeting__{key}": value for key, value in held_meeting.items()})
        .aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Assignment.Status.DONE)),
            open=Count("pk", filter=Q(status__in=Assignment.UNDER_CONTROL)),
            overdue=Count("pk", filter=Assignment.objects.overdue_q(today)),
        )
    )

    materials = [
        MaterialRow(
            title=material.title,
            kind_label=material.get_kind_display(),
            authors=[author.short_name for author in material.authors.all()],
            created_on=timezone.localdate(material.created_at),
        )
        for material in Material.objects.filter(community=community, created_at__date__range=(year.start, year.end))
        .prefetch_related(Prefetch("authors", queryset=Teacher.objects.order_by("surname", "name", "pk")))
        .order_by("created_at", "pk")
    ]

    return AnnualFigures(
        community=community,
        year=year,
        today=today,
        plan=plan,
        plan_rows=plan_rows,
        meetings=_meetings(community, year),
        forms=forms,
        minimum=minimum_sessions(),
        required=required_sessions(community, year),
        sessions_held=sessions_held,
        sessions_unsigned=sessions_unsigned,
        meetings_held=sum(held.values()),
        meetings_cancelled=cancelled,
        attendance_present=attendance["present"],
        attendance_recorded=attendance["recorded"],
        decisions=decisions,
        assignments_total=assignments["total"],
        assignments_done=assignments["done"],
        assignments_open=assignments["open"],
        assignments_overdue=assignments["overdue"],
        assignments=_assignments(held_meeting, today),
        materials=materials,
        composition=_composition(community, year, today),
    )
