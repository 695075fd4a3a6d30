"""Building blocks for the compliance tests: meetings in any state without the services' date
checks, signed protocols, and a district of many communities built in bulk for the query-count tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from communities.activity import ActivityForm
from communities.models import AnnualPlan, Community, LeaderAppointment
from meetings.models import AgendaItem, Assignment, Decision, Meeting, Protocol
from pos_portal.academic_year import AcademicYear
from tests.factories import DepartmentFactory, MeetingFactory, TeacherFactory

YEAR = AcademicYear(2024)  # 01.09.2024 – 31.08.2025


def held(community, day: dt.date, *, signed: bool | None = True, form=ActivityForm.SESSION, signer=None) -> Meeting:
    """A held meeting; ``signed``: True — with a signed protocol, False — a draft protocol, None — no protocol."""
    meeting = MeetingFactory(community=community, date=day, form=form, status=Meeting.Status.HELD)
    if signed is not None:
        year = AcademicYear.of(day)
        number = Protocol.objects.filter(community=community, academic_year=year).count() + 1
        Protocol.objects.create(
            meeting=meeting,
            community=community,
            academic_year=year,
            number=number,
            signed_by=(signer or TeacherFactory()) if signed else None,
            signed_at=timezone.now() if signed else None,
        )
    return meeting


def planned(community, day: dt.date, *, form=ActivityForm.SESSION) -> Meeting:
    return MeetingFactory(community=community, date=day, form=form, status=Meeting.Status.PLANNED)


def cancelled(community, day: dt.date) -> Meeting:
    return MeetingFactory(
        community=community, date=day, status=Meeting.Status.CANCELLED, cancel_reason="Карантин в школах."
    )


def approved_plan(community, year=YEAR) -> AnnualPlan:
    return AnnualPlan.objects.create(
        community=community,
        academic_year=year,
        theme="Тема года",
        status=AnnualPlan.Status.APPROVED,
        approved_at=timezone.now(),
    )


def bulk_district(count: int, year: AcademicYear = YEAR, *, prefix="ПОС № ") -> list[Community]:
    """``count`` communities, each with a leader's appointment, an approved plan, a held session with a signed
    protocol, a held session without a protocol that gave an overdue assignment, and a planned session."""
    department = DepartmentFactory()
    teacher = TeacherFactory()
    communities = Community.objects.bulk_create(
        Community(name=f"{prefix}{number:03d}", level=Community.Level.MUNICIPAL, founded_on=dt.date(2020, 9, 1))
        for number in range(count)
    )
    LeaderAppointment.objects.bulk_create(
        LeaderAppointment(
            community=community,
            teacher=teacher,
            order_number=f"{number}-о",
            order_date=dt.date(2020, 9, 1),
            starts_on=dt.date(2020, 9, 1),
            issued_by=department,
        )
        for number, community in enumerate(communities)
    )
    AnnualPlan.objects.bulk_create(
        AnnualPlan(
            community=community,
            academic_year=year,
            theme="Тема",
            status=AnnualPlan.Status.APPROVED,
            approved_at=timezone.now(),
        )
        for community in communities
    )
    october, november, may = (
        dt.date(year.start_year, 10, 15),
        dt.date(year.start_year, 11, 20),
        dt.date(year.start_year + 1, 5, 20),
    )
    signed_meetings = Meeting.objects.bulk_create(
        Meeting(community=community, date=october, topic="Заседание", status=Meeting.Status.HELD)
        for community in communities
    )
    # The assignment of each community is given at the signed meeting: only those are under control (live).
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=1, question="Вопрос") for meeting in signed_meetings
    )
    decisions = Decision.objects.bulk_create(Decision(agenda_item=item, order=1, text="Решили.") for item in items)
    Assignment.objects.bulk_create(
        Assignment(decision=decision, text="Поручение", responsible=teacher, deadline=november + dt.timedelta(days=10))
        for decision in decisions
    )
    Protocol.objects.bulk_create(
        Protocol(
            meeting=meeting,
            community_id=meeting.community_id,
            academic_year=year,
            number=1,
            signed_by=teacher,
            signed_at=timezone.now(),
        )
        for meeting in signed_meetings
    )
    Meeting.objects.bulk_create(
        Meeting(community=community, date=november, topic="Заседание", status=Meeting.Status.HELD)
        for community in communities
    )
    Meeting.objects.bulk_create(
        Meeting(community=community, date=may, topic="Заседание", status=Meeting.Status.PLANNED)
        for community in communities
    )
    return communities
