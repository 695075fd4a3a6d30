"""The annual plan pages: create, copy, read, edit, approve."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.activity import ActivityForm
from communities.models import AnnualPlan, PlanItem, Teacher
from meetings.models import Meeting
from pos_portal.academic_year import AcademicYear
from tests.factories import (
    PAST_MEETING_DATE,
    AnnualPlanFactory,
    MeetingFactory,
    MembershipFactory,
    PlanItemFactory,
    TeacherFactory,
    approve_directly,
    methodist_user,
)

pytestmark = pytest.mark.django_db

PLAN_YEAR = AcademicYear(2024)


def login(client, teacher):
    client.force_login(teacher.user)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def plan_with_sessions(community, count, **kwargs):
    plan = AnnualPlanFactory(community=community, academic_year=PLAN_YEAR, **kwargs)
    for month in (9, 11, 1, 3, 5)[:count]:
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    return plan


def item_row(item=None, **values):
    row = {"id": item.pk if item else "", "month": "", "planned_on": "", "topic": "", "form": "session"}
    row.update({"responsible": "", "expected_result": ""})
    if item is not None:
        row.update(
            month=item.month or "",
            planned_on=item.planned_on.isoformat() if item.planned_on else "",
            topic=item.topic,
            form=item.form,
            responsible=item.responsible_id or "",
            expected_result=item.expected_result,
        )
    row.update(values)
    return row


def edit_data(plan, rows, **fields):
    """POST data of the edit page: the plan's fields and the items formset."""
    data = {
        "theme": plan.theme,
        "goals": plan.goals,
        "tasks": plan.tasks,
        "composition": plan.composition,
        "professional_needs": plan.professional_needs,
        "edited_version": AnnualPlan.objects.get(pk=plan.pk).version,
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": str(sum(1 for row in rows if row["id"])),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for index, row in enumerate(rows):
        for key, value in row.items():
            if key == "DELETE" and not value:
                continue
            data[f"items-{index}-{key}"] = value
    return data


# --- create -------------------------------------------------------------------------------------


def test_leader_opens_create_page_with_current_year_and_composition(client, community, leader, member):
    leader.position = "учитель математики"
    leader.qualification_category = Teacher.Category.HIGHEST
    leader.save()
    member.position = "Учитель математики"
    member.qualification_category = Teacher.Category.FIRST
    member.save()
    third = TeacherFactory(position="учитель начальных классов")
    MembershipFactory(community=community, teacher=third)
    login(client, leader)

    response = client.get(reverse("communities:plan_create", args=[community.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert f'value="{AcademicYear.current().label}"' in text
    assert (
        "3 педагога: учитель математики — 2, учитель начальных классов — 1; "
        "высшая категория — 1, первая — 1, без категории — 1." in text
    )


def test_the_create_page_prefills_the_first_year_without_a_plan(client, community, leader):
    current = AcademicYear.current()
    AnnualPlanFactory(community=community, academic_year=current)
    AnnualPlanFactory(community=community, academic_year=current.next())
    login(client, leader)

    text = client.get(reverse("communities:plan_create", args=[community.pk])).content.decode()

    assert f'value="{current.next().next().label}"' in text  # the first submit is not refused


def test_leader_creates_a_plan_and_goes_on_to_edit_it(client, community, leader):
    login(client, leader)

    response = client.post(
        reverse("communities:plan_create", args=[community.pk]),
        {"academic_year": "2025/2026", "theme": "Функциональная грамотность", "goals": "Цель", "composition": "5"},
    )

    plan = AnnualPlan.objects.get(community=community)
    assert response.status_code == 302
    assert response.url == reverse("communities:plan_edit", args=[plan.pk])
    assert (plan.academic_year, plan.theme, plan.status) == (AcademicYear(2025), "Функциональная грамотность", "draft")
    assert "План на 2025/2026 учебный год создан. Добавьте мероприятия." in messages_of(response)


def test_a_second_plan_for_the_same_year_is_a_form_error(client, community, leader):
    AnnualPlanFactory(community=community, academic_year=AcademicYear(2025))
    login(client, leader)

    response = client.post(
        reverse("communities:plan_create", args=[community.pk]),
        {"academic_year": "2025/2026", "theme": "Вторая попытка"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "У сообщества уже есть план на этот учебный год." in text
    assert 'value="Вторая попытка"' in text
    assert AnnualPlan.objects.filter(community=community).count() == 1


def test_the_same_year_in_another_community_is_fine(client, community, leader, other_community):
    AnnualPlanFactory(community=other_community, academic_year=AcademicYear(2025))
    login(client, leader)

    response = client.post(
        reverse("communities:plan_create", args=[community.pk]), {"academic_year": "2025/2026", "theme": "Тема"}
    )

    assert response.status_code == 302
    assert AnnualPlan.objects.filter(community=community, academic_year=AcademicYear(2025)).exists()


@pytest.mark.parametrize("typed", ["abc", "2025/2027", "1999/2000"])
def test_a_malformed_year_is_a_form_error_keeping_what_was_typed(client, community, leader, typed):
    login(client, leader)

    response = client.post(reverse("communities:plan_create", args=[community.pk]), {"academic_year": typed})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Укажите учебный год в виде «2025/2026»." in text
    assert f'value="{typed}"' in text
    assert not AnnualPlan.objects.exists()


def test_department_creates_a_plan(client, community, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("communities:plan_create", args=[community.pk]), {"academic_year": "2024/2025", "theme": "Тема"}
    )

    assert response.status_code == 302
    assert AnnualPlan.objects.get().academic_year == AcademicYear(2024)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_may_not_create_a_plan(client, community, member, method):
    login(client, member)

    response = getattr(client, method)(
        reverse("communities:plan_create", args=[community.pk]), {"academic_year": "2025/2026", "theme": "Тема"}
    )

    assert response.status_code == 403
    assert not AnnualPlan.objects.exists()


def test_a_methodist_reads_but_may_not_create(client, community, methodist):
    client.force_login(methodist)

    response = client.post(
        reverse("communities:plan_create", args=[community.pk]), {"academic_year": "2025/2026", "theme": "Тема"}
    )

    assert response.status_code == 403
    assert not AnnualPlan.objects.exists()


# --- copy ---------------------------------------------------------------------------------------


def test_leader_starts_next_years_plan_from_the_latest_one(client, community, leader, member):
    plan = plan_with_sessions(community, 4, theme="Прошлогодняя тема", goals="Цели")
    PlanItemFactory(plan=plan, planned_on=dt.date(2024, 10, 15), month=10, responsible=member, topic="С датой")
    login(client, leader)

    response = client.post(reverse("communities:plan_copy", args=[community.pk]))

    new = AnnualPlan.objects.get(community=community, academic_year=AcademicYear(2025))
    assert response.status_code == 302
    assert response.url == reverse("communities:plan_edit", args=[new.pk])
    assert (new.theme, new.goals, new.status) == ("Прошлогодняя тема", "Цели", "draft")
    dated = new.items.get(topic="С датой")
    assert (dated.planned_on, dated.responsible) == (dt.date(2025, 10, 15), member)
    assert new.items.count() == 5


def test_copy_without_a_previous_plan_says_so(client, community, leader):
    login(client, leader)

    response = client.post(reverse("communities:plan_copy", args=[community.pk]))

    assert response.status_code == 302
    assert response.url == reverse("communities:plan_create", args=[community.pk])
    assert "Прошлого плана нет: создайте план на учебный год заново." in messages_of(response)
    assert not AnnualPlan.objects.exists()


def test_copy_is_post_only_and_for_the_leader(client, community, leader, member, outsider):
    plan_with_sessions(community, 1)
    url = reverse("communities:plan_copy", args=[community.pk])
    login(client, leader)
    assert client.get(url).status_code == 405
    login(client, member)
    assert client.post(url).status_code == 403
    login(client, outsider)
    assert client.post(url).status_code == 404
    assert AnnualPlan.objects.count() == 1


# --- detail -------------------------------------------------------------------------------------


def test_member_reads_the_plan_as_a_document(client, community, leader, member):
    plan = plan_with_sessions(community, 3, theme="Формирующее оценивание", goals="Первая цель\nВторая цель")
    PlanItemFactory(
        plan=plan,
        month=12,
        form=ActivityForm.LESSON_VISIT,
        topic="Взаимопосещение уроков",
        responsible=member,
        expected_result="Листы наблюдения",
    )
    login(client, member)

    response = client.get(reverse("communities:plan_detail", args=[plan.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Формирующее оценивание" in text
    assert "Первая цель<br>Вторая цель" in text
    assert "Заседаний в плане: 3 из минимум 4 — не хватает ещё 1." in text
    assert "Взаимопосещение уроков/занятий" in text
    assert "групповая" in text
    assert "Кузнецов И.П." in text
    assert "Листы наблюдения" in text
    assert "Черновик" in text
    assert "Редактировать" not in text
    assert "Провести заседание" not in text
    # Items are in academic order: September … December … January.
    assert text.index("декабрь") < text.index("январь")


def test_leader_sees_actions_and_fulfilled_items(client, community, leader):
    plan = plan_with_sessions(community, 4)
    done, open_item = plan.items.all()[:2]
    meeting = MeetingFactory(community=community, plan_item=done, date=PAST_MEETING_DATE)
    login(client, leader)

    response = client.get(reverse("communities:plan_detail", args=[plan.pk]))

    text = response.content.decode()
    assert "Заседаний в плане: 4 из минимум 4." in text
    assert "не хватает" not in text
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}">выполнено: заседание 15.10.2024</a>' in text
    create_url = reverse("meetings:create", args=[community.pk])
    assert f'href="{create_url}?plan_item={open_item.pk}"' in text
    assert f"?plan_item={done.pk}" not in text
    assert "Редактировать" in text
    assert f'href="{reverse("meetings:plan_submit", args=[plan.pk])}"' in text  # the leader sends it, never approves
    assert reverse("communities:plan_review", args=[plan.pk]) not in text


def test_plan_of_a_community_founded_mid_year_counts_against_the_pro_rated_number(client, community, leader):
    community.founded_on = dt.date(2025, 1, 15)  # 2024/2025: 4 × 8 / 12 → 3
    community.save(update_fields=["founded_on"])
    plan = plan_with_sessions(community, 3)
    login(client, leader)

    text = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()

    assert "Заседаний в плане: 3 из минимум 3." in text
    assert "(создано 15.01.2025, минимум пропорционально: 3)" in text


def test_approved_plan_shows_who_and_when(client, community, leader, member):
    plan = plan_with_sessions(community, 4)
    approve_directly(plan, methodist_user())
    login(client, member)

    text = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()

    assert "Утверждён" in text
    assert f"утверждён {timezone.localdate():%d.%m.%Y}" in text


def test_a_missing_plan_is_404(client, leader):
    login(client, leader)

    assert client.get(reverse("communities:plan_detail", args=[999999])).status_code == 404


def detail_queries(client, plan):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("communities:plan_detail", args=[plan.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_plan_detail_queries_do_not_grow_with_items(client, community, leader, member):
    small = AnnualPlanFactory(community=community, academic_year=AcademicYear(2023))
    item = PlanItemFactory(plan=small, responsible=member)
    MeetingFactory(community=community, plan_item=item, date=dt.date(2023, 10, 10))
    big = AnnualPlanFactory(community=community, academic_year=PLAN_YEAR)
    for index in range(25):
        item = PlanItemFactory(plan=big, month=(index % 12) + 1, responsible=member if index % 2 else leader)
        if index % 3 == 0:
            MeetingFactory(community=community, plan_item=item, date=PAST_MEETING_DATE)
    login(client, leader)
    detail_queries(client, small)  # warm-up: session and caches

    assert detail_queries(client, small) == detail_queries(client, big)


# --- edit ---------------------------------------------------------------------------------------


def test_leader_opens_the_edit_page(client, community, leader, member, other_leader):
    plan = plan_with_sessions(community, 2)
    login(client, leader)

    response = client.get(reverse("communities:plan_edit", args=[plan.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-formset-add="items"' in text
    assert 'id="items-empty-form"' in text
    assert 'id="items-forms"' in text
    assert "Кузнецов И.П." in text  # a member is a responsible to choose
    assert "Другова" not in text  # a teacher of another community is not
    assert "<optgroup" in text and "Коллективная" in text


def test_leader_edits_fields_adds_changes_and_deletes_items(client, community, leader, member):
    plan = plan_with_sessions(community, 2)
    first, second = plan.items.all()
    login(client, leader)
    rows = [
        item_row(first, topic="Уточнённая тема", responsible=member.pk),
        item_row(second, DELETE="on"),
        item_row(planned_on="2025-03-20", topic="Мастер-класс", form="master_class", expected_result="Разработка"),
    ]

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows, goals="Новая цель"))

    assert response.status_code == 302
    assert response.url == reverse("communities:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.goals == "Новая цель"
    assert list(plan.items.values_list("topic", "month", "responsible_id")) == [
        ("Уточнённая тема", 9, member.pk),
        ("Мастер-класс", 3, None),
    ]
    assert not PlanItem.objects.filter(pk=second.pk).exists()


def test_editing_an_approved_plan_keeps_it_approved(client, community, leader):
    plan = plan_with_sessions(community, 4)
    approver = approve_directly(plan).approved_by
    login(client, leader)
    plan.refresh_from_db()
    approved_at = plan.approved_at
    assert "не менее 4" in client.get(reverse("communities:plan_edit", args=[plan.pk])).content.decode()
    rows = [item_row(item) for item in plan.items.all()]

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows, theme="Новая"))

    plan.refresh_from_db()
    assert (plan.status, plan.approved_at, plan.approved_by, plan.theme) == (
        "approved",
        approved_at,
        approver,
        "Новая",
    )
    assert messages_of(response) == ["План сохранён."]


def test_an_approved_plan_refuses_to_lose_a_session_and_keeps_what_was_typed(client, community, leader):
    plan = plan_with_sessions(community, 4)
    approve_directly(plan)
    login(client, leader)
    *kept, last = plan.items.all()
    rows = [item_row(item) for item in kept] + [item_row(last, form="consultation", topic="Новая тема")]

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows, theme="Новая"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "План утверждён: по положению (п. 4.2) в нём должно оставаться не менее 4 заседаний." in text
    assert 'value="Новая тема"' in text and 'value="Новая"' in text
    theme = plan.theme
    plan.refresh_from_db()
    assert (plan.status, plan.theme, plan.planned_sessions_count()) == ("approved", theme, 4)  # nothing saved


def test_saving_an_approved_plan_without_changes_keeps_it_approved(client, community, leader):
    plan = plan_with_sessions(community, 4)
    approve_directly(plan)
    login(client, leader)
    plan.refresh_from_db()
    rows = [item_row(item) for item in plan.items.all()]

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows))

    plan.refresh_from_db()
    assert plan.is_approved
    assert "Изменений нет." in messages_of(response)


def test_a_forged_responsible_from_another_community_is_a_form_error(client, community, leader, other_leader):
    plan = plan_with_sessions(community, 1)
    item = plan.items.get()
    login(client, leader)
    rows = [item_row(item), item_row(month="10", topic="Подложный ответственный", responsible=other_leader.pk)]

    response = client.post(
        reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows, theme="Не сохранять")
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Ответственным может быть только член этого ПОС." in text
    assert 'value="Подложный ответственный"' in text
    assert 'value="Не сохранять"' in text
    plan.refresh_from_db()
    assert plan.theme != "Не сохранять"
    assert plan.items.count() == 1


def test_a_former_member_stays_on_their_own_row_only(client, community, leader):
    former = TeacherFactory(surname="Ушедшая")
    membership = MembershipFactory(community=community, teacher=former, joined_on=dt.date(2020, 9, 1))
    plan = plan_with_sessions(community, 1)
    item = plan.items.get()
    item.responsible = former
    item.save()
    membership.left_on = dt.date(2025, 1, 15)  # left during the plan's year
    membership.save()
    login(client, leader)

    unchanged = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, [item_row(item)]))
    rows = [item_row(item), item_row(month="11", topic="Новое", responsible=former.pk)]
    refused = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows))

    assert unchanged.status_code == 302
    assert refused.status_code == 200
    assert "Ответственным может быть только член этого ПОС." in refused.content.decode()


def test_an_item_date_outside_the_year_is_an_error_keeping_what_was_typed(client, community, leader):
    plan = plan_with_sessions(community, 1)
    login(client, leader)
    rows = [item_row(plan.items.get()), item_row(planned_on="2025-09-10", topic="Слишком поздно")]

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, rows))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Дата должна входить в 2024/2025 учебный год." in text
    assert 'value="2025-09-10"' in text
    assert plan.items.count() == 1


def test_an_item_without_month_or_date_is_an_error(client, community, leader):
    plan = plan_with_sessions(community, 0)
    login(client, leader)

    response = client.post(
        reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, [item_row(topic="Когда-нибудь")])
    )

    assert response.status_code == 200
    assert "Укажите месяц или дату мероприятия." in response.content.decode()
    assert not plan.items.exists()


def test_an_item_fulfilled_by_a_meeting_cannot_be_deleted(client, community, leader):
    plan = plan_with_sessions(community, 1)
    item = plan.items.get()
    MeetingFactory(community=community, plan_item=item, date=PAST_MEETING_DATE)
    login(client, leader)

    response = client.post(
        reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, [item_row(item, DELETE="on")])
    )

    assert response.status_code == 200
    assert "уже связано с заседанием 15.10.2024: удалить его из плана нельзя." in response.content.decode()
    assert Meeting.objects.get().plan_item == item


def test_an_item_of_another_plan_cannot_be_edited_through_this_one(client, community, leader, other_community):
    plan = plan_with_sessions(community, 1)
    foreign = PlanItemFactory(plan=AnnualPlanFactory(community=other_community), topic="Чужое")
    login(client, leader)
    rows = [item_row(plan.items.get()), item_row(foreign, topic="Перехвачено")]
    data = edit_data(plan, rows)
    data["items-INITIAL_FORMS"] = "2"

    client.post(reverse("communities:plan_edit", args=[plan.pk]), data)

    foreign.refresh_from_db()
    assert (foreign.topic, foreign.plan.community) == ("Чужое", other_community)
    assert not PlanItem.objects.filter(topic="Перехвачено").exists()


def test_a_broken_management_form_is_not_a_server_error(client, community, leader):
    plan = plan_with_sessions(community, 1)
    login(client, leader)

    response = client.post(reverse("communities:plan_edit", args=[plan.pk]), {"theme": "Тема"})

    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.theme != "Тема"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_may_not_edit_the_plan(client, community, member, method):
    plan = plan_with_sessions(community, 1)
    login(client, member)

    response = getattr(client, method)(
        reverse("communities:plan_edit", args=[plan.pk]), edit_data(plan, [], theme="Взлом")
    )

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.theme != "Взлом"


# --- approval: tests/communities/test_plan_approval.py ------------------------------------------------------
