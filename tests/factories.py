"""Plain factories for the portal's models. Dates default to the 2024/2025 academic year,
safely in the past, so that "held" meetings are valid whatever the day the tests run."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from communities.activity import ActivityForm
from communities.models import (
    AnnualPlan,
    Community,
    Membership,
    Organization,
    PlanItem,
    Regulation,
    Teacher,
)
from meetings.models import AgendaItem, Assignment, Attendance, Decision, Guest, Meeting, Speaker
from pos_portal.academic_year import AcademicYear

PAST_YEAR_START = dt.date(2024, 9, 1)
PAST_MEETING_DATE = dt.date(2024, 10, 15)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("demo-password")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.SCHOOL
    short_name = factory.Sequence(lambda n: f"МОУ СШ № {n + 1}")
    full_name = factory.LazyAttribute(lambda o: f"Муниципальное общеобразовательное учреждение «{o.short_name}»")
    town = "г. Тутаев"


class DepartmentFactory(OrganizationFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("short_name",)

    kind = Organization.Kind.DEPARTMENT
    short_name = "Департамент образования АТМР"
    full_name = "Департамент образования Администрации Тутаевского муниципального района"


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    surname = factory.Sequence(lambda n: f"Иванова{n}")
    name = "Анна"
    patronymic = "Петровна"
    organization = factory.SubFactory(OrganizationFactory)
    position = "учитель"


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"ПОС учителей № {n + 1}")
    theme = "Формирующее оценивание"
    level = Community.Level.MUNICIPAL
    founded_on = dt.date(2020, 9, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    teacher = factory.SubFactory(TeacherFactory)
    community = factory.SubFactory(CommunityFactory)
    joined_on = dt.date(2020, 9, 1)


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation

    title = "Положение о профессиональном обучающемся сообществе педагогов"
    text = "1. Общие положения."
    effective_from = dt.date(2022, 11, 22)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    community = factory.SubFactory(CommunityFactory)
    academic_year = AcademicYear(2024)
    theme = "Формирующее оценивание на уроке"


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(AnnualPlanFactory)
    month = 10
    topic = factory.Sequence(lambda n: f"Тема заседания {n + 1}")
    form = ActivityForm.SESSION


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    community = factory.SubFactory(CommunityFactory)
    date = PAST_MEETING_DATE
    form = ActivityForm.SESSION
    topic = factory.Sequence(lambda n: f"Заседание {n + 1}")
    place = "МОУ СШ № 1, каб. 12"
    status = Meeting.Status.HELD


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    teacher = factory.SubFactory(TeacherFactory)
    present = True


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    question = factory.Sequence(lambda n: f"Вопрос {n + 1}")
    heard = "Докладчик рассказала об опыте."

    @factory.post_generation
    def speaker(item, create, teacher, **kwargs):
        """``speaker=teacher``: the question's first speaker, a member as докладчик."""
        if create and teacher is not None:
            SpeakerFactory(agenda_item=item, order=1, teacher=teacher)


class SpeakerFactory(factory.django.DjangoModelFactory):
    """A speaker of a question: a member докладчик by default; ``teacher=None, full_name=…`` for an outside person,
    ``part=Speaker.Part.SPOKE, text=…`` for one who spoke."""

    class Meta:
        model = Speaker

    agenda_item = factory.SubFactory(AgendaItemFactory)
    order = 1
    part = Speaker.Part.REPORT
    teacher = factory.SubFactory(TeacherFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    order = 1
    text = "Принять к сведению."
    # As stored before the kinds of vote: the numbers given are «голосовали», none given is «без голосования».
    vote = factory.LazyAttribute(
        lambda decision: (
            Decision.Vote.COUNTED
            if any(getattr(decision, f"votes_{name}", None) is not None for name in ("for", "against", "abstained"))
            else Decision.Vote.NONE
        )
    )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    decision = factory.SubFactory(DecisionFactory)
    text = "Подготовить открытый урок."
    responsible = factory.SubFactory(TeacherFactory)
    deadline = dt.date(2024, 12, 1)


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guest

    meeting = factory.SubFactory(MeetingFactory)
    full_name = "Петрова Анна Сергеевна"
    position = "методист"
    organization = "МУ ДПО «ИОЦ» ТМР"


def sign_directly(meeting: Meeting, signer=None):
    """Give ``meeting`` a signed protocol without the signing checks (its assignments become live, under control):
    for tests of what counts signed protocols only. ``signer``: any teacher (by default a new one)."""
    from meetings.models import Protocol
    from meetings.services import protocol_create

    protocol = getattr(meeting, "protocol", None) if Protocol.objects.filter(meeting=meeting).exists() else None
    protocol = protocol or protocol_create(meeting=meeting)
    Protocol.objects.filter(pk=protocol.pk).update(signed_at=timezone.now(), signed_by=signer or TeacherFactory())
    return protocol


def methodist_user(username=None):
    """A user in the methodists' group of the ИОЦ (who approves plans and accepts reports)."""
    from django.contrib.auth.models import Group

    from pos_portal.roles import METHODISTS_GROUP

    user = UserFactory(**({"username": username} if username else {}))
    user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    return user


def submit_directly(plan: AnnualPlan, teacher=None) -> AnnualPlan:
    """Mark ``plan`` as sent for approval without the leader and the protocol (``meetings.services.plan_submit``
    checks those): for tests of the review and of what an approved plan allows."""
    plan.status, plan.submitted_at = AnnualPlan.Status.SUBMITTED, timezone.now()
    plan.submitted_by = teacher or TeacherFactory()
    plan.full_clean()
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return plan


def approve_directly(plan: AnnualPlan, user=None) -> AnnualPlan:
    """``plan`` sent (``submit_directly``) and approved by ``user`` (a new methodist by default) through the review
    service, so the approval's own rules (enough sessions) still apply."""
    from communities.services import plan_review

    submit_directly(plan)
    return plan_review(plan=plan, user=user or methodist_user(), approve=True)
