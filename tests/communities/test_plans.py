import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from communities.activity import SESSION_FORMS, ActivityForm, ActivityKind
from communities.models import AnnualPlan, PlanItem, Teacher
from communities.models.people import count_by_category, count_by_position
from pos_portal.academic_year import AcademicYear
from tests.factories import AnnualPlanFactory, PlanItemFactory, approve_directly, methodist_user

pytestmark = pytest.mark.django_db


def plan_with(*forms):
    plan = AnnualPlanFactory()
    for form in forms:
        PlanItemFactory(plan=plan, form=form)
    return plan


def test_plan_with_three_sessions_cannot_be_approved():
    plan = plan_with(*[ActivityForm.SESSION] * 3)

    with pytest.raises(ValidationError) as error:
        approve_directly(plan)

    assert error.value.messages == [
        "План нельзя утвердить: по положению (п. 4.2) нужно не менее 4 заседаний в год, в плане не хватает ещё 1."
    ]
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED  # still waiting: the review was refused, nothing changed


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
        approve_directly(plan)


def test_plan_with_four_sessions_is_approved_with_who_and_when():
    user = methodist_user()
    plan = plan_with(ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.MASTER_CLASS, ActivityForm.CONFERENCE)

    approve_directly(plan, user)

    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (AnnualPlan.Status.APPROVED, user)
    assert plan.approved_at is not None


def test_the_minimum_is_a_setting(settings):
    settings.MIN_MEETINGS_PER_YEAR = 2
    plan = plan_with(ActivityForm.SESSION, ActivityForm.SESSION)

    assert approve_directly(plan).is_approved


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


# --- the minimum of a community founded during the year ----------------------------------------------------------


def test_a_plan_of_a_community_founded_mid_year_needs_the_pro_rated_number():
    plan = plan_with(ActivityForm.SESSION, ActivityForm.SESSION)
    plan.community.founded_on = dt.date(2025, 1, 15)  # 2024/2025: 4 × 8 / 12 → 3
    plan.community.save(update_fields=["founded_on"])

    with pytest.raises(ValidationError) as error:
        approve_directly(plan)
    assert error.value.messages == [
        "План нельзя утвердить: по положению (п. 4.2) нужно не менее 3 заседаний в год "
        "(создано 15.01.2025, минимум пропорционально: 3), в плане не хватает ещё 1."
    ]

    PlanItemFactory(plan=plan, form=ActivityForm.ROUND_TABLE)
    assert approve_directly(plan).is_approved  # three, not four


# --- editing an approved plan: one answer from the ORM, the admin and the portal ---------------------------------

APPROVED_MINIMUM = "План утверждён: по положению (п. 4.2) в нём должно оставаться не менее 4 заседаний."


def _approved_plan(community, sessions):
    plan = AnnualPlanFactory(community=community, academic_year=AcademicYear(2024))
    for month in (9, 10, 11, 12, 1, 2)[:sessions]:
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    return approve_directly(plan)


def _rows(plan, target, change):
    """The formset rows of the plan's events with ``change`` («form» or «delete») applied to ``target``."""
    rows = []
    for item in plan.items.order_by("pk"):
        row = {"id": item.pk, "month": item.month, "planned_on": "", "topic": item.topic, "form": item.form}
        row |= {"responsible": "", "expected_result": ""}
        if item == target and change == "form":
            row["form"] = ActivityForm.CONSULTATION
        if item == target and change == "delete":
            row["DELETE"] = "on"
        rows.append(row)
    data = {"items-TOTAL_FORMS": len(rows), "items-INITIAL_FORMS": len(rows)}
    data |= {"items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000}
    for index, row in enumerate(rows):
        data |= {f"items-{index}-{key}": value for key, value in row.items()}
    return data


def _formset_errors(formset) -> list[str]:
    errors = list(formset.non_form_errors())
    for form in formset.forms:
        errors += [message for messages in form.errors.values() for message in messages]
    return errors


def _via_orm(clients, plan, item, change):
    try:
        if change == "delete":
            item.delete()
        else:
            item.form = ActivityForm.CONSULTATION
            item.full_clean()
            item.save()
    except ValidationError as error:
        return error.messages
    return []


def _via_admin(clients, plan, item, change):
    data = {"community": plan.community_id, "academic_year": str(plan.academic_year), "theme": plan.theme}
    data["edited_version"] = AnnualPlan.objects.get(pk=plan.pk).version
    data |= _rows(plan, item, change)
    response = clients["admin"].post(reverse("admin:communities_annualplan_change", args=[plan.pk]), data)
    if response.status_code == 302:
        return []
    return _formset_errors(response.context["inline_admin_formsets"][0].formset)


def _via_portal(clients, plan, item, change):
    data = {"theme": plan.theme, "goals": plan.goals, "tasks": plan.tasks, "composition": plan.composition}
    data |= {"professional_needs": plan.professional_needs, **_rows(plan, item, change)}
    data["edited_version"] = AnnualPlan.objects.get(pk=plan.pk).version
    response = clients["portal"].post(reverse("communities:plan_edit", args=[plan.pk]), data)
    if response.status_code == 302:
        return []
    assert response.context["formset"].data["items-0-topic"] == plan.items.order_by("pk")[0].topic  # kept as typed
    return _formset_errors(response.context["formset"])


@pytest.fixture
def clients(admin_client, client, leader):
    client.force_login(leader.user)
    return {"admin": admin_client, "portal": client}


@pytest.mark.parametrize("path", [_via_orm, _via_admin, _via_portal], ids=["orm", "admin", "portal"])
@pytest.mark.parametrize(
    ("sessions", "change", "answer"),
    [
        (4, "form", [APPROVED_MINIMUM]),  # the fourth session becomes a consultation: refused
        (4, "delete", [APPROVED_MINIMUM]),  # the fourth session is deleted: refused
        (5, "form", []),  # a fifth session may go: four remain
        (5, "delete", []),
    ],
)
def test_an_approved_plan_change_gets_the_same_answer_everywhere(clients, community, path, sessions, change, answer):
    plan = _approved_plan(community, sessions)
    item = plan.items.order_by("pk").last()

    assert path(clients, plan, item, change) == answer

    plan.refresh_from_db()
    assert plan.is_approved  # refused or saved, an approved plan stays approved
    assert plan.planned_sessions_count() == (sessions if answer else sessions - 1)


def test_a_plan_below_a_raised_minimum_may_be_edited_but_not_lowered(settings, community):
    plan = _approved_plan(community, 4)
    settings.MIN_MEETINGS_PER_YEAR = 6
    first, *_, last = plan.items.order_by("pk")

    first.topic = "Уточнённая тема"
    first.full_clean()  # no session lost: allowed
    first.save()
    with pytest.raises(ValidationError) as error:
        last.delete()
    assert error.value.messages == [
        "План утверждён: по положению (п. 4.2) в нём должно оставаться не менее 6 заседаний."
    ]


def test_deleting_events_in_bulk_keeps_the_minimum(community):
    plan = _approved_plan(community, 5)

    two = list(plan.items.order_by("pk").values_list("pk", flat=True)[:2])

    with pytest.raises(ValidationError) as error:
        PlanItem.objects.filter(pk__in=two).delete()
    assert error.value.messages == [APPROVED_MINIMUM]
    assert plan.items.count() == 5


def test_the_composition_merges_spellings_of_a_position_and_orders_categories_from_the_highest():
    teachers = [
        Teacher(position="  Учитель   математики ", qualification_category=Teacher.Category.FIRST),
        Teacher(position="учитель математики", qualification_category=Teacher.Category.HIGHEST),
        Teacher(position="ПДО", qualification_category=Teacher.Category.NONE),
        Teacher(position="", qualification_category=Teacher.Category.FIRST),
    ]

    assert count_by_position(teachers) == [("учитель математики", 2), ("должность не указана", 1), ("ПДО", 1)]
    assert count_by_category(teachers) == [("высшая категория", 1), ("первая", 2), ("без категории", 1)]


def test_the_session_count_of_many_plans_is_each_plans_planned_sessions():
    mixed = plan_with(ActivityForm.SESSION, ActivityForm.MASTER_CLASS, ActivityForm.CONSULTATION)
    group_only = plan_with(ActivityForm.LESSON_VISIT)
    empty = plan_with()

    counted = dict(AnnualPlan.objects.with_session_count().values_list("pk", "session_count"))

    assert counted == {mixed.pk: 2, group_only.pk: 0, empty.pk: 0}
    assert [plan.planned_sessions_count() for plan in (mixed, group_only, empty)] == [2, 0, 0]
