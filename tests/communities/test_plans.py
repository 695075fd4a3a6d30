import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from communities.activity import SESSION_FORMS, ActivityForm, ActivityKind
from communities.models import AnnualPlan, PlanItem
from communities.services import plan_approve
from pos_portal.academic_year import AcademicYear
from tests.factories import AnnualPlanFactory, PlanItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def plan_with(*forms):
    plan = AnnualPlanFactory()
    for form in forms:
        PlanItemFactory(plan=plan, form=form)
    return plan


def test_plan_with_three_sessions_cannot_be_approved():
    plan = plan_with(*[ActivityForm.SESSION] * 3)

    with pytest.raises(ValidationError) as error:
        plan_approve(plan=plan, user=UserFactory())

    assert error.value.messages == [
        "План нельзя утвердить: по положению (п. 4.2) нужно не менее 4 заседаний в год, в плане не хватает ещё 1."
    ]
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT


def test_group_and_individual_forms_do_not_count_as_sessions():
    plan = plan_with(
        ActivityForm.SESSION,
        ActivityForm.ROUND_TABLE,
        ActivityForm.LESSON_VISIT,
        ActivityForm.SELF_EDUCATION,
        ActivityForm.CONSULTATION,
    )

    assert plan.planned_sessions_count() == 2
    with pytest.raises(ValidationError):
        plan_approve(plan=plan, user=UserFactory())


def test_plan_with_four_sessions_is_approved_with_who_and_when():
    user = UserFactory()
    plan = plan_with(ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.MASTER_CLASS, ActivityForm.CONFERENCE)

    plan_approve(plan=plan, user=user)

    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (AnnualPlan.Status.APPROVED, user)
    assert plan.approved_at is not None


def test_the_minimum_is_a_setting(settings):
    settings.MIN_MEETINGS_PER_YEAR = 2
    plan = plan_with(ActivityForm.SESSION, ActivityForm.SESSION)

    assert plan_approve(plan=plan, user=UserFactory()).is_approved


def test_approved_status_set_directly_is_checked_by_clean():
    plan = plan_with(ActivityForm.SESSION)
    plan.status = AnnualPlan.Status.APPROVED
    plan.approved_at = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)

    with pytest.raises(ValidationError):
        plan.full_clean()


def test_collective_forms_are_exactly_the_counting_ones():
    collective = {form.value for form in ActivityForm if form.kind == ActivityKind.COLLECTIVE}
    assert collective == SESSION_FORMS
    assert ActivityForm.SESSION.value in SESSION_FORMS
    assert ActivityForm.METHODICAL_DIALOGUE.value not in SESSION_FORMS


def test_one_plan_per_community_and_year():
    plan = AnnualPlanFactory()

    with pytest.raises(IntegrityError):
        AnnualPlanFactory(community=plan.community, academic_year=plan.academic_year)


def test_plan_item_date_lies_inside_the_plans_year():
    plan = AnnualPlanFactory(academic_year=AcademicYear(2024))
    item = PlanItem(plan=plan, topic="Итоговое заседание", planned_on=dt.date(2025, 9, 1))

    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["planned_on"] == ["Дата должна входить в 2024/2025 учебный год."]

    item.planned_on = dt.date(2025, 8, 31)
    item.full_clean()
    assert item.month == 8


def test_plan_item_needs_a_month_or_a_date():
    item = PlanItem(plan=AnnualPlanFactory(), topic="Когда-нибудь")

    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert error.value.message_dict["month"] == ["Укажите месяц или дату мероприятия."]


def test_plan_items_are_listed_in_academic_order():
    plan = AnnualPlanFactory()
    for month in (1, 9, 5, 12):
        PlanItemFactory(plan=plan, month=month, topic=f"m{month}")

    assert [item.month for item in plan.items.all()] == [9, 12, 1, 5]
