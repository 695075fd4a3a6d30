"""Compliance with the district regulation: the four sessions of 4.2 and the documentation of section 6.

This module says whether a community met the minimum of sessions in an academic year (its status) and which
of its mandatory documents exist. The dashboard, the community page, the district summary (XLSX, PDF) and
``manage.py compliance_report`` all read ``compliance_for_year``. The two facts it compares have their own
homes, shared with the annual report (``reports.annual_figures``) and the annual plan (approval and editing):
which meetings count — ``Meeting.objects.sessions_held_in`` / ``session_held_q`` — and how many
a community needs — ``communities.activity.required_sessions``.

What is counted (all for one academic year, 1 September – 31 August, ``pos_portal.academic_year``):

- **held** (проведено): meetings with status «проведено», of a form that counts as a session
  (``communities.activity.SESSION_FORMS``), dated inside the year, whose protocol is **signed**: the queryset
  ``Meeting.objects.sessions_held_in(year)`` (its condition ``session_held_q()`` for counting annotations), the
  only definition, also read by the annual report (``reports.annual_figures``). A held meeting whose protocol
  is still a draft is shown apart (``held_unsigned``) and does not count yet.
- **planned** (запланировано): meetings with status «запланировано», of a counting form, dated inside the
  year and not before ``today``. A planned meeting whose date has passed and that was never marked held or
  cancelled counts as neither; it is shown apart as «не проведено / не отмечено» (``not_marked``).
- Cancelled meetings and meetings of group and individual forms never count.
- **minimum** is ``settings.MIN_MEETINGS_PER_YEAR`` (``communities.activity.minimum_sessions``); **required** is
  the minimum, or, for a community founded after 1 September of the year, the minimum pro-rated to the months
  left: ``required = ceil(minimum × months / 12)``, at least 1, where ``months`` counts the month of founding
  and every month after it up to August (founded 15 January: 8 months, 4 × 8 / 12 → 3). Shown as «создано
  дд.мм.гггг, минимум пропорционально: N». This is ``communities.activity.required_sessions(community, year)``,
  the one rule that the annual report, plan approval and plan editing apply too.

The status, with ``today`` the day of the computation (the rules are checked in this order):

1. **выполнено** — held ≥ required.
2. **нарушено** — the year is over (today > 31 August of the year) and held < required.
3. **под угрозой** — held + planned < required (what is scheduled cannot reach the minimum), or the community
   is behind the pace of one session a quarter: held < min(required, full quarters elapsed), quarters counted
   in whole months from 1 September (or from the founding date of a community founded during the year).
   By 1 December one session is expected, by 1 March two, by 1 June three.
4. **в графике** — otherwise.

The documentation checklist of section 6, per community and year («нет» and «черновик» are missing):

- **положение**: a regulation in force by the end of the year (``effective_from`` ≤ 31 August). A municipal
  community works under the district regulation, so a district-wide regulation (``community`` empty) is
  enough; an institutional community needs its own regulation, a local act of its organization (as the
  kindergarten's «Положение о ПОС МКДОУ …»).
- **приказ о назначении руководителя**: a leader appointment current on some day of the year.
- **план на год**: the year's plan approved; a draft plan is «черновик».
- **протоколы**: at least one signed protocol of a meeting of the year. Only drafts: «черновик». Not due
  («срок не наступил») while nothing was held and no session is expected yet by the pace rule (the first
  quarter of the year).
- **отчёт**: the annual report of the year (``reports.models.AnnualReport``) submitted or accepted; a draft
  or a returned report is «черновик»; no report is missing once the year is over and not due before.

Late protocols («протокол просрочен», ``late_protocols``): meetings of the year that were held and whose protocol
is still not signed more than ``settings.PROTOCOL_DUE_DAYS`` days after the meeting, as of ``today``; the rule is
``Meeting.objects.protocol_late_q`` (``meetings.models.meetings``), counted in the same query as the other
meeting counts.

Overdue assignments: assignments given at meetings of the year that are still open after their deadline
(as of ``today``).

Everything is computed for all communities at once in a fixed number of queries: seven with the documents
(communities, meeting counts, appointments, regulations, plans, reports, overdue assignments), two without.
Archived communities and communities founded after the year are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from communities.activity import SESSION_FORMS, founded_during, minimum_sessions, prorated_note, required_sessions
from communities.models import AnnualPlan, Community, LeaderAppointment, Regulation, Teacher
from meetings.models import Assignment, Meeting
from pos_portal.academic_year import AcademicYear
from pos_portal.russian import plural
from reports.models import AnnualReport

#: Months of an academic year in order, with short Russian names (for charts and tables).
ACADEMIC_MONTHS = [
    (9, "сен"),
    (10, "окт"),
    (11, "ноя"),
    (12, "дек"),
    (1, "янв"),
    (2, "фев"),
    (3, "мар"),
    (4, "апр"),
    (5, "май"),
    (6, "июн"),
    (7, "июл"),
    (8, "авг"),
]


class Status(models.TextChoices):
    DONE = "done", "выполнено"
    ON_TRACK = "on_track", "в графике"
    AT_RISK = "at_risk", "под угрозой"
    VIOLATED = "violated", "нарушено"


#: Worst first: the order of sorting by status and of the status chart.
STATUS_ORDER = [Status.VIOLATED, Status.AT_RISK, Status.ON_TRACK, Status.DONE]
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}
#: Bootstrap badge classes of the statuses.
STATUS_BADGE = {
    Status.DONE: "text-bg-success",
    Status.ON_TRACK: "text-bg-primary",
    Status.AT_RISK: "text-bg-warning",
    Status.VIOLATED: "text-bg-danger",
}


class DocumentState(models.TextChoices):
    OK = "ok", "есть"
    DRAFT = "draft", "черновик"
    MISSING = "missing", "нет"
    NOT_DUE = "not_due", "срок не наступил"


class Document(models.TextChoices):
    """The mandatory documentation of section 6, in the regulation's order."""

    REGULATION = "regulation", "положение"
    APPOINTMENT = "appointment", "приказ о назначении руководителя"
    PLAN = "plan", "план на год"
    PROTOCOLS = "protocols", "протоколы"
    REPORT = "report", "отчёт"


@dataclass(frozen=True)
class DocumentCheck:
    document: Document
    state: DocumentState
    note: str = ""

    @property
    def label(self) -> str:
        return self.document.label

    @property
    def is_missing(self) -> bool:
        return self.state in (DocumentState.MISSING, DocumentState.DRAFT)

    @property
    def missing_label(self) -> str:
        """«план на год (черновик)» or «отчёт»: how a missing document is named in lists."""
        return f"{self.label} ({self.state.label})" if self.state == DocumentState.DRAFT else self.label


@dataclass
class ComplianceRow:
    community: Community
    year: AcademicYear
    today: dt.date
    held: int
    planned: int
    minimum: int
    required: int
    status: Status
    held_unsigned: int = 0
    not_marked: int = 0
    late_protocols: int = 0  # «протокол просрочен»: Meeting.objects.protocol_late_q(today)
    leader: Teacher | None = None  # the leader on the year's reference day (today, or the year's last day)
    current_leader: Teacher | None = None  # the leader today
    documents: list[DocumentCheck] = field(default_factory=list)
    overdue_assignments: int = 0

    @property
    def prorated(self) -> bool:
        return founded_during(self.community, self.year)

    @property
    def prorated_note(self) -> str:
        return prorated_note(self.community, self.year)

    @property
    def remaining(self) -> int:
        """Sessions still to hold to reach the required number."""
        return max(0, self.required - self.held)

    @property
    def year_over(self) -> bool:
        return self.today > self.year.end

    @property
    def status_badge(self) -> str:
        return STATUS_BADGE[self.status]

    @property
    def status_rank(self) -> int:
        return STATUS_RANK[self.status]

    @property
    def urgency(self) -> tuple:
        """The methodist's morning order, most urgent first: the status (нарушено, под угрозой, в графике,
        выполнено), then late protocols, missing documents and overdue assignments, most first."""
        return (self.status_rank, -self.late_protocols, -len(self.missing_documents), -self.overdue_assignments)

    @property
    def is_behind(self) -> bool:
        """Нарушено or под угрозой: the community's leader and the methodists are written to on Mondays."""
        return self.status in (Status.VIOLATED, Status.AT_RISK)

    @property
    def needs_attention(self) -> bool:
        """Behind, a late protocol or a missing document: what the methodist's home lists."""
        return self.is_behind or bool(self.late_protocols) or bool(self.missing_documents)

    @property
    def missing_documents(self) -> list[DocumentCheck]:
        return [check for check in self.documents if check.is_missing]

    @property
    def missing_labels(self) -> list[str]:
        return [check.missing_label for check in self.missing_documents]

    @property
    def remaining_phrase(self) -> str:
        return remaining_phrase(self)


def sessions_word(number: int) -> str:
    return plural(number, "заседание", "заседания", "заседаний")


def remaining_phrase(row: ComplianceRow) -> str:
    """What the year still needs, in one sentence for the community page and the e-mails."""
    if row.remaining == 0:
        return "минимум п. 4.2 выполнен"
    if row.year_over:
        return f"минимум п. 4.2 не выполнен: проведено {row.held} из {row.required}"
    return f"до конца учебного года нужно провести ещё {row.remaining} {sessions_word(row.remaining)}"


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is before ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def expected_by_pace(community: Community, year: AcademicYear, required: int, today: dt.date) -> int:
    """Sessions that should be held by ``today`` at one a quarter, capped at ``required``."""
    start = community.founded_on if founded_during(community, year) else year.start
    quarters = _months_between(start, min(today, year.end + dt.timedelta(days=1))) // 3
    return min(required, quarters)


def status_for(*, held: int, planned: int, required: int, expected: int, year: AcademicYear, today: dt.date) -> Status:
    if held >= required:
        return Status.DONE
    if today > year.end:
        return Status.VIOLATED
    if held + planned < required or held < expected:
        return Status.AT_RISK
    return Status.ON_TRACK


def communities_in_year(year: AcademicYear, communities: QuerySet[Community] | None = None) -> QuerySet[Community]:
    """The communities the year's compliance is computed for: not archived, founded by the year's end."""
    base = Community.objects.all() if communities is None else communities
    return base.filter(is_archived=False, founded_on__lte=year.end)


def compliance_for_year(
    year: AcademicYear,
    communities: QuerySet[Community] | None = None,
    today: dt.date | None = None,
    *,
    with_documents: bool = True,
) -> list[ComplianceRow]:
    """One row per community (ordered by name), in a fixed number of queries whatever their number."""
    today = today or timezone.localdate()
    minimum = minimum_sessions()
    selected = communities_in_year(year, communities)
    community_list = list(selected.select_related("organization").order_by("name", "pk"))
    if not community_list:
        return []
    ids = selected.values("pk")

    counting = Q(form__in=SESSION_FORMS)
    signed = Q(protocol__signed_at__isnull=False)
    held = Q(status=Meeting.Status.HELD)
    planned = Q(status=Meeting.Status.PLANNED)
    counts = {
        row["community_id"]: row
        for row in Meeting.objects.in_year(year)
        .filter(community_id__in=ids)
        .order_by()
        .values("community_id")
        .annotate(
            held=Count("pk", filter=Meeting.objects.session_held_q()),
            held_unsigned=Count("pk", filter=Meeting.objects.session_unsigned_q()),
            late_protocols=Count("pk", filter=Meeting.objects.protocol_late_q(today)),
            planned=Count("pk", filter=planned & counting & Q(date__gte=today)),
            not_marked=Count("pk", filter=Meeting.objects.not_marked_q(today) & counting),
            signed_protocols=Count("pk", filter=held & signed),
            draft_protocols=Count("pk", filter=held & Q(protocol__isnull=False, protocol__signed_at__isnull=True)),
            held_any=Count("pk", filter=held),
        )
    }

    documents = _DocumentFacts.load(year, ids, today) if with_documents else None
    rows = []
    for community in community_list:
        numbers = counts.get(community.pk, {})
        required = required_sessions(community, year)
        expected = expected_by_pace(community, year, required, today)
        row = ComplianceRow(
            community=community,
            year=year,
            today=today,
            held=numbers.get("held", 0),
            planned=numbers.get("planned", 0),
            minimum=minimum,
            required=required,
            status=status_for(
                held=numbers.get("held", 0),
                planned=numbers.get("planned", 0),
                required=required,
                expected=expected,
                year=year,
                today=today,
            ),
            held_unsigned=numbers.get("held_unsigned", 0),
            not_marked=numbers.get("not_marked", 0),
            late_protocols=numbers.get("late_protocols", 0),
        )
        if documents is not None:
            documents.fill(row, numbers, expected)
        rows.append(row)
    return rows


def needing_attention(today: dt.date) -> list[ComplianceRow]:
    """The communities of the current academic year that need the methodist's attention (``needs_attention``),
    the most urgent first (``urgency``, then the name): the methodist's home."""
    rows = compliance_for_year(AcademicYear.of(today), today=today)
    return sorted((row for row in rows if row.needs_attention), key=lambda row: row.urgency)


def compliance_for_community(
    community: Community, year: AcademicYear, today: dt.date | None = None, *, with_documents: bool = True
) -> ComplianceRow | None:
    """The community's row, or None when it is archived or founded after the year."""
    rows = compliance_for_year(
        year, Community.objects.filter(pk=community.pk), today=today, with_documents=with_documents
    )
    return rows[0] if rows else None


def sessions_held_by_month(
    year: AcademicYear, communities: QuerySet[Community] | None = None
) -> list[tuple[int, str, int]]:
    """Sessions held (counting form, signed protocol) per month of the year across the communities, in
    academic order: (month, short name, count). One query."""
    ids = communities_in_year(year, communities).values("pk")
    by_month = dict(
        Meeting.objects.sessions_held_in(year)
        .filter(community_id__in=ids)
        .order_by()
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    return [(month, name, by_month.get(month, 0)) for month, name in ACADEMIC_MONTHS]


@dataclass
class _DocumentFacts:
    """What the documentation checklist needs, for all the communities at once (five queries)."""

    year: AcademicYear
    today: dt.date
    appointments: dict[int, list[LeaderAppointment]]
    own_regulation: set[int]
    district_regulation: bool
    plans: dict[int, str]
    reports: dict[int, str]
    overdue: dict[int, int]

    @classmethod
    def load(cls, year: AcademicYear, ids, today: dt.date) -> _DocumentFacts:
        # Appointments current on some day of the year, and the one current today (for notifications).
        first, last = min(year.start, today), max(year.end, today)
        appointments: dict[int, list[LeaderAppointment]] = {}
        for appointment in (
            LeaderAppointment.objects.filter(community_id__in=ids, starts_on__lte=last)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
            .select_related("teacher__user")
            .order_by("community_id", "starts_on", "pk")
        ):
            appointments.setdefault(appointment.community_id, []).append(appointment)

        regulations = set(
            Regulation.objects.filter(effective_from__lte=year.end)
            .filter(Q(community__isnull=True) | Q(community_id__in=ids))
            .order_by()
            .values_list("community_id", flat=True)
            .distinct()
        )
        district = None in regulations
        regulations.discard(None)

        plans = dict(
            AnnualPlan.objects.filter(community_id__in=ids, academic_year=year)
            .order_by()
            .values_list("community_id", "status")
        )
        reports = dict(
            AnnualReport.objects.filter(community_id__in=ids, academic_year=year)
            .order_by()
            .values_list("community_id", "status")
        )
        meeting = "decision__agenda_item__meeting"
        overdue = dict(
            Assignment.objects.overdue(today)
            .filter(
                **{
                    f"{meeting}__community_id__in": ids,
                    f"{meeting}__date__range": (year.start, year.end),
                }
            )
            .order_by()
            .values(f"{meeting}__community_id")
            .annotate(count=Count("pk"))
            .values_list(f"{meeting}__community_id", "count")
        )
        return cls(year, today, appointments, regulations, district, plans, reports, overdue)

    def _leader_on(self, community_id: int, day: dt.date) -> Teacher | None:
        for appointment in self.appointments.get(community_id, []):
            if appointment.is_current_on(day):
                return appointment.teacher
        return None

    def fill(self, row: ComplianceRow, numbers: dict, expected: int) -> None:
        community, year, today = row.community, self.year, self.today
        reference_day = min(max(today, year.start), year.end)
        row.leader = self._leader_on(community.pk, reference_day)
        row.current_leader = self._leader_on(community.pk, today)
        row.overdue_assignments = self.overdue.get(community.pk, 0)
        row.documents = [
            self._regulation(community),
            self._appointment(community),
            self._plan(community),
            self._protocols(numbers, expected),
            self._report(community),
        ]

    def _regulation(self, community: Community) -> DocumentCheck:
        if community.pk in self.own_regulation:
            return DocumentCheck(Document.REGULATION, DocumentState.OK, "положение ПОС")
        if community.level == Community.Level.MUNICIPAL and self.district_regulation:
            return DocumentCheck(Document.REGULATION, DocumentState.OK, "районное положение")
        if community.level == Community.Level.INSTITUTIONAL:
            return DocumentCheck(Document.REGULATION, DocumentState.MISSING, "нужно положение ПОС, утверждённое в ОО")
        return DocumentCheck(Document.REGULATION, DocumentState.MISSING)

    def _appointment(self, community: Community) -> DocumentCheck:
        year = self.year
        in_year = [
            appointment
            for appointment in self.appointments.get(community.pk, [])
            if appointment.starts_on <= year.end and (appointment.ends_on is None or appointment.ends_on >= year.start)
        ]
        if not in_year:
            return DocumentCheck(Document.APPOINTMENT, DocumentState.MISSING)
        last = in_year[-1]
        return DocumentCheck(
            Document.APPOINTMENT, DocumentState.OK, f"№ {last.order_number} от {last.order_date:%d.%m.%Y}"
        )

    def _plan(self, community: Community) -> DocumentCheck:
        status = self.plans.get(community.pk)
        if status == AnnualPlan.Status.APPROVED:
            return DocumentCheck(Document.PLAN, DocumentState.OK, "утверждён")
        if status is None:
            return DocumentCheck(Document.PLAN, DocumentState.MISSING)
        notes = {AnnualPlan.Status.SUBMITTED: "на утверждении", AnnualPlan.Status.RETURNED: "возвращён на доработку"}
        return DocumentCheck(Document.PLAN, DocumentState.DRAFT, notes.get(status, "не утверждён"))

    def _protocols(self, numbers: dict, expected: int) -> DocumentCheck:
        signed = numbers.get("signed_protocols", 0)
        if signed:
            return DocumentCheck(Document.PROTOCOLS, DocumentState.OK, f"подписано: {signed}")
        if numbers.get("draft_protocols", 0):
            return DocumentCheck(Document.PROTOCOLS, DocumentState.DRAFT, "есть только неподписанные")
        if not numbers.get("held_any", 0) and expected == 0 and self.today <= self.year.end:
            return DocumentCheck(Document.PROTOCOLS, DocumentState.NOT_DUE)
        return DocumentCheck(Document.PROTOCOLS, DocumentState.MISSING)

    def _report(self, community: Community) -> DocumentCheck:
        status = self.reports.get(community.pk)
        if status in (AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACCEPTED):
            return DocumentCheck(Document.REPORT, DocumentState.OK, AnnualReport.Status(status).label)
        if status in (AnnualReport.Status.DRAFT, AnnualReport.Status.RETURNED):
            return DocumentCheck(Document.REPORT, DocumentState.DRAFT, AnnualReport.Status(status).label)
        if self.today <= self.year.end:
            return DocumentCheck(Document.REPORT, DocumentState.NOT_DUE, "сдаётся по итогам года")
        return DocumentCheck(Document.REPORT, DocumentState.MISSING)


def totals(rows: list[ComplianceRow]) -> dict:
    """District totals of a list of rows."""
    by_status = {status: 0 for status in STATUS_ORDER}
    for row in rows:
        by_status[row.status] += 1
    return {
        "communities": len(rows),
        "held": sum(row.held for row in rows),
        "planned": sum(row.planned for row in rows),
        "required": sum(row.required for row in rows),
        "held_unsigned": sum(row.held_unsigned for row in rows),
        "not_marked": sum(row.not_marked for row in rows),
        "late_protocols": sum(row.late_protocols for row in rows),
        "overdue_assignments": sum(row.overdue_assignments for row in rows),
        "with_missing_documents": sum(1 for row in rows if row.missing_documents),
        "missing_documents": sum(len(row.missing_documents) for row in rows),
        "by_status": [(status, by_status[status]) for status in STATUS_ORDER],
    }
