"""communities.services.plan_copy_to_next_year: next year's draft from last year's plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from communities.activity import ActivityForm
from communities.models import AnnualPlan
from communities.services import plan_copy_to_next_year
from pos_portal.academic_year import AcademicYear
from tests.factories import (
    AnnualPlanFactory,
    CommunityFactory,
    MembershipFactory,
    PlanItemFactory,
    TeacherFactory,
    approve_directly,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_year(db):
    community = CommunityFactory()
    return AnnualPlanFactory(
        community=community,
        academic_year=AcademicYear(2023),
        theme="Формирующее оценивание",
        goals="Цели",
        tasks="Задачи",
        composition="12 педагогов",
        professional_needs="Потребности",
    )


def test_the_copy_is_a_draft_of_the_next_year_with_the_same_contents(last_year):
    for form in (ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.MASTER_CLASS, ActivityForm.CONFERENCE):
        PlanItemFactory(plan=last_year, form=form)
    approve_directly(last_year)

    copy = plan_copy_to_next_year(plan=last_year)

    assert copy.pk != last_year.pk
    assert (copy.community, copy.academic_year) == (last_year.community, AcademicYear(2024))
    assert (copy.status, copy.approved_at, copy.approved_by) == (AnnualPlan.Status.DRAFT, None, None)
    assert (copy.theme, copy.goals, copy.tasks, copy.composition, copy.professional_needs) == (
        "Формирующее оценивание",
        "Цели",
        "Задачи",
        "12 педагогов",
        "Потребности",
    )
    assert sorted(copy.items.values_list("topic", "form")) == sorted(last_year.items.values_list("topic", "form"))
    last_year.refresh_from_db()
    assert last_year.is_approved
    assert last_year.items.count() == 4


def test_items_keep_months_forms_topics_and_results_and_dates_move_by_a_year(last_year):
    PlanItemFactory(
        plan=last_year,
        month=10,
        planned_on=dt.date(2023, 10, 17),
        topic="Открытый урок",
        form=ActivityForm.LESSON_VISIT,
        expected_result="Анализ урока",
    )
    PlanItemFactory(plan=last_year, month=5, topic="Итоговое заседание")

    copy = plan_copy_to_next_year(plan=last_year)

    assert list(copy.items.values_list("month", "planned_on", "topic", "form", "expected_result")) == [
        (10, dt.date(2024, 10, 17), "Открытый урок", "lesson_visit", "Анализ урока"),
        (5, None, "Итоговое заседание", "session", ""),
    ]


def test_29_february_is_dropped_and_the_month_kept(last_year):
    PlanItemFactory(plan=last_year, month=2, planned_on=dt.date(2024, 2, 29), topic="Високосный день")

    item = plan_copy_to_next_year(plan=last_year).items.get()

    assert (item.month, item.planned_on) == (2, None)


def test_responsible_is_kept_only_while_still_a_member(last_year):
    staying = TeacherFactory(surname="Остаётся")
    MembershipFactory(community=last_year.community, teacher=staying)
    leaving = TeacherFactory(surname="Ушла")
    MembershipFactory(community=last_year.community, teacher=leaving, left_on=dt.date(2024, 6, 30))
    PlanItemFactory(plan=last_year, topic="Её тема", responsible=staying)
    PlanItemFactory(plan=last_year, topic="Тема ушедшей", responsible=leaving)

    copy = plan_copy_to_next_year(plan=last_year)

    assert dict(copy.items.values_list("topic", "responsible")) == {"Её тема": staying.pk, "Тема ушедшей": None}


def test_refused_when_next_years_plan_exists(last_year):
    AnnualPlanFactory(community=last_year.community, academic_year=AcademicYear(2024), theme="Уже начат")
    PlanItemFactory(plan=last_year)

    with pytest.raises(ValidationError) as error:
        plan_copy_to_next_year(plan=last_year)

    assert error.value.messages == ["План на 2024/2025 учебный год уже есть: новый по прошлогоднему не создаётся."]
    assert AnnualPlan.objects.filter(community=last_year.community).count() == 2
    assert AnnualPlan.objects.get(academic_year=AcademicYear(2024)).items.count() == 0


def test_another_communitys_plan_for_that_year_does_not_matter(last_year):
    AnnualPlanFactory(academic_year=AcademicYear(2024))

    assert plan_copy_to_next_year(plan=last_year).academic_year == AcademicYear(2024)
