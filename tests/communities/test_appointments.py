import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from communities.models import LeaderAppointment, Membership, Organization
from tests.conftest import appoint
from tests.factories import DepartmentFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_new_order_ends_the_previous_appointment_and_keeps_history(community, leader, member):
    appoint(community, member, starts_on=dt.date(2025, 2, 1), number="01-10/44")

    history = list(community.appointments.order_by("starts_on").values_list("teacher__surname", "starts_on", "ends_on"))
    assert history == [
        ("Смирнова", dt.date(2024, 9, 1), dt.date(2025, 1, 31)),
        ("Кузнецов", dt.date(2025, 2, 1), None),
    ]
    assert community.leader_on(dt.date(2025, 1, 31)) == leader
    assert community.leader_on(dt.date(2025, 2, 1)) == member


def test_is_led_by_names_the_leader_of_the_day(community, leader, member):
    appoint(community, member, starts_on=dt.date(2025, 2, 1), number="01-10/44")

    assert community.is_led_by(leader, dt.date(2025, 1, 31))
    assert not community.is_led_by(leader, dt.date(2025, 2, 1))
    assert community.is_led_by(member, dt.date(2025, 2, 1))
    assert not community.is_led_by(None, dt.date(2025, 2, 1))
    assert not community.is_led_by(leader, dt.date(2024, 8, 31))  # before anyone was appointed


@pytest.mark.parametrize(
    ("day", "current"),
    [
        (dt.date(2024, 8, 31), False),  # the day before it starts
        (dt.date(2024, 9, 1), True),
        (dt.date(2025, 1, 31), True),  # its last day
        (dt.date(2025, 2, 1), False),  # the next order's first day
    ],
)
def test_one_rule_for_an_appointment_in_force_loaded_or_queried(community, leader, member, day, current):
    appoint(community, member, starts_on=dt.date(2025, 2, 1), number="01-10/44")
    first = community.appointments.get(teacher=leader)

    assert first.is_current_on(day) is current
    assert LeaderAppointment.objects.current_on(day).filter(pk=first.pk).exists() is current


def test_appointment_makes_the_teacher_a_member(community):
    newcomer = TeacherFactory()

    appoint(community, newcomer, starts_on=dt.date(2025, 1, 1))

    assert Membership.objects.active_on(dt.date(2025, 1, 1)).filter(community=community, teacher=newcomer).exists()


def test_leader_must_be_a_member(community):
    appointment = LeaderAppointment(
        community=community,
        teacher=TeacherFactory(),
        order_number="1",
        order_date=dt.date(2025, 1, 1),
        starts_on=dt.date(2025, 1, 1),
        issued_by=DepartmentFactory(),
    )

    with pytest.raises(ValidationError) as error:
        appointment.full_clean()
    assert error.value.message_dict["teacher"] == ["Руководитель должен быть членом ПОС на дату начала руководства."]


def test_at_most_one_current_leader(community, leader, member):
    second = LeaderAppointment(
        community=community,
        teacher=member,
        order_number="2",
        order_date=dt.date(2025, 1, 1),
        starts_on=dt.date(2025, 1, 1),
        issued_by=DepartmentFactory(),
    )

    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "В эти даты у сообщества уже есть руководитель." in error.value.message_dict["starts_on"][0]
    with pytest.raises(IntegrityError):
        second.save()


def test_overlapping_closed_periods_are_refused(community, leader, member):
    first = community.appointments.get()
    first.ends_on = dt.date(2025, 6, 30)
    first.save()
    overlapping = LeaderAppointment(
        community=community,
        teacher=member,
        order_number="3",
        order_date=dt.date(2025, 6, 1),
        starts_on=dt.date(2025, 6, 1),
        ends_on=dt.date(2025, 8, 31),
        issued_by=DepartmentFactory(),
    )

    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_only_the_department_issues_orders(community, member):
    appointment = LeaderAppointment(
        community=community,
        teacher=member,
        order_number="4",
        order_date=dt.date(2025, 1, 1),
        starts_on=dt.date(2025, 1, 1),
        issued_by=OrganizationFactory(kind=Organization.Kind.SCHOOL),
    )

    with pytest.raises(ValidationError) as error:
        appointment.full_clean()
    assert "Руководителя ПОС назначает приказом Департамент образования." in error.value.message_dict["issued_by"]


def test_new_appointment_must_start_after_the_current_one(community, leader, member):
    with pytest.raises(ValidationError):
        appoint(community, member, starts_on=dt.date(2024, 9, 1))
    assert community.appointments.get().teacher == leader
