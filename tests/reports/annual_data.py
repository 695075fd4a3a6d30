"""A small fixed 2024/2025 year of one community, for the annual report's tests.

Plan of four items: (1) a session fulfilled by a meeting with a signed protocol, (2) a master class fulfilled by a
held meeting whose protocol is still a draft, (3) a lesson visit whose meeting was cancelled, (4) a session never
held. One more held meeting (a consultation) outside the plan, and one held session of the previous year.
Attendance 5 present of 6 recorded; 3 decisions; assignments: one done, one overdue, one open (as of 01.05.2025).
Materials: one in the year, one the year before. Members: leader, member, a third who joined and left during the
year, and a fourth who left the year before.
"""

import datetime as dt
from dataclasses import dataclass

from communities.activity import ActivityForm
from communities.models import AnnualPlan, Material, PlanItem, Teacher
from meetings.models import Assignment, Meeting
from meetings.services import protocol_create, protocol_sign
from pos_portal.academic_year import AcademicYear
from reports.services import annual_report_save, annual_report_start
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    MembershipFactory,
    PlanItemFactory,
    TeacherFactory,
)

YEAR = AcademicYear(2024)
TODAY = dt.date(2025, 5, 1)


@dataclass
class YearData:
    plan: AnnualPlan
    items: list[PlanItem]
    signed_meeting: Meeting
    draft_meeting: Meeting
    cancelled_meeting: Meeting
    consultation: Meeting
    third: Teacher


def material(community, title, created, authors=(), kind=Material.Kind.METHODICAL):
    item = Material.objects.create(community=community, title=title, kind=kind, url="https://example.org/m")
    item.authors.set(authors)
    Material.objects.filter(pk=item.pk).update(created_at=created)
    return item


def build_year(community, leader, member) -> YearData:
    Teacher.objects.filter(pk=leader.pk).update(position="Учитель математики", qualification_category="highest")
    leader.refresh_from_db()
    third = TeacherFactory(surname="Лебедева", name="Мария", patronymic="Ивановна", position="воспитатель")
    Teacher.objects.filter(pk=third.pk).update(qualification_category="first")
    MembershipFactory(teacher=third, community=community, joined_on=dt.date(2024, 11, 1), left_on=dt.date(2025, 3, 1))
    former = TeacherFactory(surname="Старова")
    MembershipFactory(teacher=former, community=community, joined_on=dt.date(2020, 9, 1), left_on=dt.date(2024, 6, 30))

    plan = AnnualPlanFactory(community=community, academic_year=YEAR, theme="Формирующее оценивание")
    items = [
        PlanItemFactory(plan=plan, month=10, topic="Старт формирующего оценивания", form=ActivityForm.SESSION),
        PlanItemFactory(plan=plan, month=12, topic="Мастер-класс по рубрикам", form=ActivityForm.MASTER_CLASS),
        PlanItemFactory(plan=plan, month=2, topic="Взаимопосещение уроков", form=ActivityForm.LESSON_VISIT),
        PlanItemFactory(plan=plan, month=4, topic="Итоги года и планы", form=ActivityForm.SESSION),
    ]

    signed = MeetingFactory(community=community, date=dt.date(2024, 10, 15), plan_item=items[0], topic="Старт")
    AttendanceFactory(meeting=signed, teacher=leader, present=True)
    AttendanceFactory(meeting=signed, teacher=member, present=True)
    signed.attendance_confirm(leader)
    question = AgendaItemFactory(meeting=signed, order=1, speaker=leader)
    first = DecisionFactory(agenda_item=question, order=1, text="Ввести листы самооценки.")
    second = DecisionFactory(agenda_item=question, order=2, text="Провести открытые уроки.")
    AssignmentFactory(decision=first, responsible=member, deadline=dt.date(2024, 12, 1), text="Листы самооценки")
    AssignmentFactory(
        decision=second,
        responsible=leader,
        deadline=dt.date(2024, 11, 1),
        status=Assignment.Status.DONE,
        done_on=dt.date(2024, 10, 30),
        text="Открытый урок",
    )
    protocol_sign(protocol=protocol_create(meeting=signed), user=leader.user)

    draft = MeetingFactory(
        community=community,
        date=dt.date(2024, 12, 10),
        plan_item=items[1],
        form=ActivityForm.MASTER_CLASS,
        topic="Рубрики",
    )
    AttendanceFactory(meeting=draft, teacher=leader, present=True)
    AttendanceFactory(meeting=draft, teacher=member, present=False, absence_reason="болезнь")
    AttendanceFactory(meeting=draft, teacher=third, present=True)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=draft, order=1, speaker=leader))
    AssignmentFactory(decision=decision, responsible=third, deadline=dt.date(2025, 6, 1), text="Рубрики к урокам")
    protocol_create(meeting=draft)

    cancelled = MeetingFactory(
        community=community,
        date=dt.date(2025, 2, 12),
        plan_item=items[2],
        form=ActivityForm.LESSON_VISIT,
        status=Meeting.Status.CANCELLED,
        cancel_reason="карантин",
    )
    consultation = MeetingFactory(community=community, date=dt.date(2025, 3, 5), form=ActivityForm.CONSULTATION)
    AttendanceFactory(meeting=consultation, teacher=leader, present=True)

    previous = MeetingFactory(community=community, date=dt.date(2024, 8, 20))
    AttendanceFactory(meeting=previous, teacher=leader, present=False)
    DecisionFactory(agenda_item=AgendaItemFactory(meeting=previous, order=1))

    material(community, "Рубрики оценивания", dt.datetime(2024, 11, 20, 12, tzinfo=dt.UTC), [leader, member])
    material(community, "Старый материал", dt.datetime(2023, 5, 1, 12, tzinfo=dt.UTC))
    return YearData(
        plan=plan,
        items=items,
        signed_meeting=signed,
        draft_meeting=draft,
        cancelled_meeting=cancelled,
        consultation=consultation,
        third=third,
    )


def written_report(community, leader):
    """The leader's report of ``YEAR`` with its three texts written, saved and not submitted."""
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    report.results = "Освоили приёмы формирующего оценивания."
    report.difficulties = "Не хватало времени на взаимопосещения."
    report.proposals = "Продолжить работу над рубриками."
    return annual_report_save(report=report, user=leader.user, expected_version=report.version)
