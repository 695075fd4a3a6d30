import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.utils import timezone

from communities.services import membership_end
from meetings.models import Assignment, Attendance, Meeting, Protocol
from meetings.services import attendance_prefill, protocol_create
from pos_portal.academic_year import AcademicYear
from tests.factories import (
    AnnualPlanFactory,
    AssignmentFactory,
    MeetingFactory,
    MembershipFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_cannot_be_held_in_the_future(community):
    meeting = MeetingFactory.build(community=community, date=timezone.localdate() + dt.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["date"] == [
        "Заседание не может быть проведено в будущем: проверьте дату или статус."
    ]
    meeting.status = Meeting.Status.PLANNED
    meeting.full_clean()


def test_cancelled_meeting_needs_a_reason(community):
    meeting = MeetingFactory.build(community=community, status=Meeting.Status.CANCELLED)

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["cancel_reason"] == ["Укажите причину отмены."]
    with pytest.raises(IntegrityError):
        meeting.save()


def test_attendance_only_for_members_on_the_meeting_date(community, member, outsider):
    meeting = MeetingFactory(community=community, date=dt.date(2024, 10, 15))

    Attendance(meeting=meeting, teacher=member).full_clean()
    with pytest.raises(ValidationError) as error:
        Attendance(meeting=meeting, teacher=outsider).full_clean()
    assert error.value.message_dict["teacher"][0].startswith("Посторонний А.П. не был(а) членом ПОС на 15.10.2024.")


def test_attendance_refused_for_a_member_who_had_left(community, member):
    membership_end(membership=member.memberships.get(), left_on=dt.date(2024, 10, 1))
    meeting = MeetingFactory(community=community, date=dt.date(2024, 10, 15))

    with pytest.raises(ValidationError):
        Attendance(meeting=meeting, teacher=member).full_clean()


def test_attendance_prefill_takes_the_members_on_that_date(community, leader, member):
    newcomer = MembershipFactory(community=community, joined_on=dt.date(2024, 11, 1)).teacher
    meeting = MeetingFactory(community=community, date=dt.date(2024, 10, 15))

    attendance_prefill(meeting=meeting)
    attendance_prefill(meeting=meeting)

    assert sorted(meeting.attendance.values_list("teacher__surname", flat=True)) == ["Кузнецов", "Смирнова"]
    assert not meeting.attendance.filter(teacher=newcomer).exists()


def test_plan_items_meeting_lies_inside_the_plans_year(community):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=community, academic_year=AcademicYear(2024)))
    meeting = MeetingFactory.build(community=community, plan_item=item, date=dt.date(2025, 9, 3))

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["date"] == ["Дата заседания должна входить в 2024/2025 учебный год плана."]

    meeting.date = dt.date(2025, 5, 20)
    meeting.full_clean()
    meeting.save()
    assert item.meeting == meeting


def test_plan_item_of_another_community_is_refused(community, other_community):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=other_community))

    with pytest.raises(ValidationError) as error:
        MeetingFactory.build(community=community, plan_item=item).full_clean()
    assert error.value.message_dict["plan_item"] == ["Мероприятие относится к плану другого сообщества."]


def test_meeting_with_a_protocol_stays_in_its_academic_year(draft_protocol):
    meeting = draft_protocol.meeting
    meeting.date = dt.date(2025, 9, 10)

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "перенести его в другой год нельзя" in error.value.message_dict["date"][0]


def made_live(assignment):
    """Sign the protocol of the assignment's meeting (only then is an assignment under control)."""
    protocol = protocol_create(meeting=assignment.decision.agenda_item.meeting)
    Protocol.objects.filter(pk=protocol.pk).update(signed_at=timezone.now(), signed_by=assignment.responsible)
    return assignment


def test_overdue_assignments(member):
    late = AssignmentFactory(responsible=member, deadline=dt.date(2024, 12, 1))
    made_live(AssignmentFactory(responsible=member, deadline=timezone.localdate() + dt.timedelta(days=10)))

    assert list(Assignment.objects.overdue()) == []  # its protocol is not signed: not under control yet
    made_live(late)
    assert list(Assignment.objects.overdue()) == [late]
    assert late.is_overdue()


@pytest.mark.parametrize(
    ("deadline", "status", "overdue"),
    [
        (dt.date(2024, 11, 30), "open", True),
        (dt.date(2024, 12, 1), "open", False),  # due today: not overdue yet
        (dt.date(2024, 12, 2), "open", False),
        (dt.date(2024, 11, 30), "done", False),
    ],
)
def test_one_overdue_rule_for_an_assignment_a_query_and_a_count(member, deadline, status, overdue):
    today = dt.date(2024, 12, 1)
    done_on = dt.date(2024, 11, 20) if status == "done" else None
    assignment = made_live(AssignmentFactory(responsible=member, deadline=deadline, status=status, done_on=done_on))
    counted = Assignment.objects.aggregate(n=Count("pk", filter=Assignment.objects.overdue_q(today)))["n"]

    assert assignment.is_overdue(today) is overdue
    assert Assignment.objects.overdue(today).filter(pk=assignment.pk).exists() is overdue
    assert counted == int(overdue)
