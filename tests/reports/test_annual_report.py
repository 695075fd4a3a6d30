"""The annual activity report: its rules (model and services) and the figures compiled for it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.activity import ActivityForm
from meetings.models import Meeting
from meetings.services import protocol_create
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from reports.annual_figures import NOT_FULFILLED, annual_figures
from reports.models import AnnualReport
from reports.models.annual_reports import AnnualReportLockedError
from reports.services import (
    annual_report_accept,
    annual_report_return,
    annual_report_save,
    annual_report_start,
    annual_report_submit,
)
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from tests.reports.annual_data import TODAY, YEAR, build_year, material

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(community, leader):
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    report.results = "Освоили приёмы формирующего оценивания."
    return annual_report_save(report=report, user=leader.user, expected_version=report.version)


@pytest.fixture
def submitted(report, leader):
    return annual_report_submit(report=report, user=leader.user)


# --- the draft and the leader's text -----------------------------------------------------------------------------


def test_the_leader_starts_a_draft_once(community, leader):
    first = annual_report_start(community=community, year=YEAR, user=leader.user)
    again = annual_report_start(community=community, year=YEAR, user=leader.user)
    assert first.pk == again.pk
    assert first.status == AnnualReport.Status.DRAFT
    assert AnnualReport.objects.count() == 1


@pytest.mark.parametrize("persona", ["member", "methodist", "other_leader", "admin_user"])
def test_only_the_leader_starts_or_edits_the_report(request, community, leader, report, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)
    with pytest.raises(PermissionDenied):
        annual_report_start(community=community, year=YEAR, user=user)
    report.results = "Чужой текст"
    with pytest.raises(PermissionDenied):
        annual_report_save(report=report, user=user, expected_version=report.version)
    report.refresh_from_db()
    assert report.results == "Освоили приёмы формирующего оценивания."


def test_no_report_for_a_year_not_started(community, leader):
    with pytest.raises(ValidationError, match="ещё не начался"):
        annual_report_start(community=community, year=AcademicYear.current().next(), user=leader.user)


def test_one_report_per_community_and_year(community, report):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(community=community, academic_year=YEAR)


# --- submission ------------------------------------------------------------------------------------------------


def test_the_leader_submits(report, leader):
    submitted = annual_report_submit(report=report, user=leader.user)
    assert submitted.status == AnnualReport.Status.SUBMITTED
    assert submitted.submitted_by == leader
    assert submitted.submitted_at is not None


@pytest.mark.parametrize("persona", ["member", "methodist", "other_leader", "admin_user"])
def test_only_the_current_leader_submits(request, report, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        annual_report_submit(report=report, user=getattr(user, "user", user))
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_a_former_leader_no_longer_submits(community, leader, member, report):
    from tests.conftest import appoint

    appoint(community, member, starts_on=timezone.localdate(), number="99-о")
    with pytest.raises(PermissionDenied):
        annual_report_submit(report=report, user=leader.user)
    assert annual_report_submit(report=report, user=member.user).submitted_by == member


def test_a_report_without_results_is_not_submitted(community, leader):
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    with pytest.raises(ValidationError, match="Результаты"):
        annual_report_submit(report=report, user=leader.user)


def test_a_submitted_report_is_not_submitted_again_nor_edited(submitted, leader):
    with pytest.raises(ValidationError, match="уже отправлен"):
        annual_report_submit(report=submitted, user=leader.user)
    submitted.results = "Переписано"
    with pytest.raises(ValidationError, match="на проверке"):
        annual_report_save(report=submitted, user=leader.user, expected_version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.results == "Освоили приёмы формирующего оценивания."


# --- review ----------------------------------------------------------------------------------------------------


def test_return_needs_a_comment(submitted, methodist):
    for comment in ("", "   "):
        with pytest.raises(ValidationError, match="Укажите, что нужно доработать"):
            annual_report_return(report=submitted, user=methodist, comment=comment)
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.SUBMITTED


def test_return_needs_a_comment_in_the_database_too(submitted, methodist):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=submitted.pk).update(
            status=AnnualReport.Status.RETURNED, reviewed_at=timezone.now(), reviewed_by=methodist
        )


def test_return_needs_a_comment_in_clean(report):
    report.status = AnnualReport.Status.RETURNED
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "review_comment" in error.value.message_dict


def test_returned_report_is_edited_and_submitted_again(submitted, leader, methodist):
    returned = annual_report_return(report=submitted, user=methodist, comment="Добавьте трудности.")
    assert returned.status == AnnualReport.Status.RETURNED
    assert returned.review_comment == "Добавьте трудности."
    assert returned.reviewed_by == methodist
    returned.difficulties = "Нехватка времени."
    annual_report_save(report=returned, user=leader.user, expected_version=returned.version)
    again = annual_report_submit(report=returned, user=leader.user)
    assert again.status == AnnualReport.Status.SUBMITTED
    assert again.difficulties == "Нехватка времени."


@pytest.mark.parametrize("persona", ["leader", "member", "other_leader"])
def test_only_methodists_and_the_department_review(request, submitted, persona):
    user = request.getfixturevalue(persona).user
    with pytest.raises(PermissionDenied):
        annual_report_accept(report=submitted, user=user)
    with pytest.raises(PermissionDenied):
        annual_report_return(report=submitted, user=user, comment="Доработать")
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.SUBMITTED


def test_the_department_accepts(submitted, admin_user):
    assert annual_report_accept(report=submitted, user=admin_user).status == AnnualReport.Status.ACCEPTED


def test_a_methodist_does_not_review_their_own_report(submitted, leader):
    leader.user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    with pytest.raises(ValidationError, match="другой методист"):
        annual_report_accept(report=submitted, user=leader.user)


def test_a_draft_is_not_reviewed(report, methodist):
    with pytest.raises(ValidationError, match="только отчёт на проверке"):
        annual_report_accept(report=report, user=methodist)


# --- an accepted report is read-only ------------------------------------------------------------------------------


@pytest.fixture
def accepted(submitted, methodist):
    return annual_report_accept(report=submitted, user=methodist, comment="Хороший отчёт.")


def test_accepted_report_refuses_the_leader(accepted, leader):
    accepted.results = "Новый текст"
    with pytest.raises(ValidationError):
        annual_report_save(report=accepted, user=leader.user, expected_version=accepted.version)
    with pytest.raises(ValidationError):
        annual_report_submit(report=accepted, user=leader.user)
    accepted.refresh_from_db()
    assert accepted.results == "Освоили приёмы формирующего оценивания."


@pytest.mark.parametrize("field", ["results", "difficulties", "proposals"])
def test_accepted_report_refuses_changes_in_save(accepted, field):
    setattr(accepted, field, "Исправлено задним числом")
    with pytest.raises(AnnualReportLockedError):
        accepted.save()
    with pytest.raises(AnnualReportLockedError):
        AnnualReport.objects.filter(pk=accepted.pk).update(**{field: "Исправлено"})
    accepted.refresh_from_db()
    assert getattr(accepted, field) != "Исправлено задним числом"


def test_accepted_report_keeps_its_status_and_is_not_deleted(accepted, methodist):
    accepted.status = AnnualReport.Status.RETURNED
    with pytest.raises(AnnualReportLockedError):
        accepted.save()
    accepted.refresh_from_db()
    with pytest.raises(AnnualReportLockedError):
        accepted.delete()
    with pytest.raises(AnnualReportLockedError):
        AnnualReport.objects.filter(pk=accepted.pk).delete()
    with pytest.raises(ValidationError):
        annual_report_return(report=accepted, user=methodist, comment="Ещё раз")
    assert AnnualReport.objects.get(pk=accepted.pk).status == AnnualReport.Status.ACCEPTED


def test_unchanged_save_of_an_accepted_report_is_harmless(accepted):
    accepted.save()
    assert AnnualReport.objects.get(pk=accepted.pk).is_accepted


# --- the figures -----------------------------------------------------------------------------------------------


@pytest.fixture
def year_data(community, leader, member):
    return build_year(community, leader, member)


def test_plan_against_fact(community, year_data):
    figures = annual_figures(community, YEAR, today=TODAY)
    rows = figures.plan_rows
    assert [row.item.topic for row in rows] == [item.topic for item in year_data.items]
    assert [row.fulfilled for row in rows] == [True, True, False, False]
    assert rows[0].meeting == year_data.signed_meeting
    assert rows[0].protocol_signed is True
    assert rows[0].fact == "выполнено 15.10.2024, протокол № 1 подписан"
    assert rows[1].protocol_signed is False
    assert rows[1].fact == "выполнено 10.12.2024, протокол № 2 не подписан (проект)"
    assert rows[2].fact == f"{NOT_FULFILLED}: отменено (карантин)"
    assert rows[3].fact == NOT_FULFILLED
    assert rows[3].meeting is None
    assert rows[0].when == "октябрь"
    assert rows[1].form_label == "Мастер-класс"
    assert rows[2].kind_label == "Групповая"
    assert (figures.plan_items, figures.plan_fulfilled, figures.plan_not_fulfilled) == (4, 2, 2)


def test_sessions_by_form_and_the_minimum(community, year_data):
    figures = annual_figures(community, YEAR, today=TODAY)
    forms = {row.form: row for row in figures.forms}
    assert set(forms) == {ActivityForm.SESSION, ActivityForm.MASTER_CLASS, ActivityForm.CONSULTATION}
    assert (forms["session"].held, forms["session"].signed) == (1, 1)
    assert (forms["master_class"].held, forms["master_class"].signed) == (1, 0)
    assert forms["consultation"].counts_as_session is False
    assert forms["consultation"].kind_label == "Индивидуальная"
    assert figures.meetings_held == 3  # the 2023/2024 session is not in this year
    assert figures.meetings_cancelled == 1
    assert figures.sessions_held == 1  # a counting form with a signed protocol
    assert figures.sessions_unsigned == 1
    assert figures.minimum == 4
    assert figures.sessions_missing == 3
    assert figures.minimum_met is False


def test_attendance_decisions_and_assignments(community, year_data):
    figures = annual_figures(community, YEAR, today=TODAY)
    assert (figures.attendance_present, figures.attendance_recorded) == (5, 6)
    assert figures.attendance_rate == 83.3
    assert figures.decisions == 3
    # The draft's assignment («Рубрики к урокам») is not given until its protocol is signed: not counted.
    assert figures.assignments_total == 2
    assert figures.assignments_done == 1
    assert figures.assignments_open == 1
    assert figures.assignments_overdue == 1
    later = annual_figures(community, YEAR, today=dt.date(2025, 6, 2))
    assert later.assignments_overdue == 1


def test_materials_of_the_year(community, leader, member, year_data):
    figures = annual_figures(community, YEAR, today=TODAY)
    assert [material.title for material in figures.materials] == ["Рубрики оценивания"]
    assert figures.materials[0].authors == [member.short_name, leader.short_name]  # Кузнецов, Смирнова
    assert figures.materials[0].kind_label == "Методическая разработка"
    assert figures.materials[0].created_on == dt.date(2024, 11, 20)


def test_composition_of_the_year(community, leader, member, year_data):
    composition = annual_figures(community, YEAR, today=TODAY).composition
    assert composition.count == 3
    assert composition.count_label == "3 педагога"
    assert composition.at_end == 2
    assert {(row.label, row.count) for row in composition.by_position} == {
        ("учитель математики", 1),
        ("учитель", 1),
        ("воспитатель", 1),
    }
    assert [(row.label, row.count) for row in composition.by_category] == [
        ("высшая категория", 1),
        ("первая", 1),
        ("без категории", 1),
    ]
    assert [change.teacher for change in composition.left] == [year_data.third]
    assert composition.left[0].on == dt.date(2025, 3, 1)
    assert year_data.third in [change.teacher for change in composition.joined]


def test_a_year_without_plan_or_meetings(community, leader):
    figures = annual_figures(community, YEAR.previous(), today=TODAY)
    assert figures.plan is None
    assert figures.plan_rows == []
    assert figures.forms == []
    assert figures.attendance_rate is None
    assert figures.sessions_held == 0
    assert figures.assignments_total == 0


def _figures_queries(community):
    with CaptureQueriesContext(connection) as context:
        annual_figures(community, YEAR, today=TODAY)
    return len(context.captured_queries)


def _add_fulfilled_items(community, plan, leader, member, count, start):
    for day in range(start, start + count):
        item = PlanItemFactory(plan=plan, month=1, topic=f"Тема {day}")
        meeting = MeetingFactory(community=community, date=dt.date(2025, 1, 1) + dt.timedelta(days=day), plan_item=item)
        AttendanceFactory(meeting=meeting, teacher=leader)
        AttendanceFactory(meeting=meeting, teacher=member, present=False)
        decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1))
        AssignmentFactory(decision=decision, responsible=member)
        protocol_create(meeting=meeting)
        material(community, f"Материал {day}", dt.datetime(2025, 1, 10, tzinfo=dt.UTC), [leader, member])


def test_figures_in_the_same_number_of_queries_for_1_and_25_meetings(community, leader, member):
    plan = AnnualPlanFactory(community=community, academic_year=YEAR)
    _add_fulfilled_items(community, plan, leader, member, 1, start=0)
    one = _figures_queries(community)
    _add_fulfilled_items(community, plan, leader, member, 24, start=1)
    assert Meeting.objects.filter(community=community).count() == 25
    twenty_five = _figures_queries(community)
    assert twenty_five == one
    assert one == 11  # with the held meetings and the assignments listed
    figures = annual_figures(community, YEAR, today=TODAY)
    assert (figures.plan_fulfilled, figures.meetings_held, len(figures.materials)) == (25, 25, 25)


# --- the Django admin ------------------------------------------------------------------------------------------


def test_admin_lists_filters_and_searches(admin_client, submitted, community):
    changelist = reverse("admin:reports_annualreport_changelist")
    page = admin_client.get(changelist).content.decode()
    assert community.name in page
    assert "на проверке" in page
    assert community.name in admin_client.get(changelist, {"status": "submitted", "year": "2024"}).content.decode()
    assert community.name not in admin_client.get(changelist, {"status": "accepted"}).content.decode()
    assert community.name in admin_client.get(changelist, {"q": "формирующего"}).content.decode()
    assert admin_client.get(reverse("admin:reports_annualreport_add")).status_code == 200


def test_admin_accepts_with_the_action_and_then_shows_it_read_only(admin_client, submitted):
    changelist = reverse("admin:reports_annualreport_changelist")
    response = admin_client.post(changelist, {"action": "accept", "_selected_action": [submitted.pk]}, follow=True)
    assert "Принято отчётов: 1." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.is_accepted
    change = reverse("admin:reports_annualreport_change", args=[submitted.pk])
    page = admin_client.get(change).content.decode()
    assert 'name="results"' not in page  # read-only
    assert "Освоили приёмы формирующего оценивания." in page
    assert admin_client.get(reverse("admin:reports_annualreport_delete", args=[submitted.pk])).status_code == 403


def test_admin_refuses_to_edit_a_submitted_report(admin_client, submitted):
    change = reverse("admin:reports_annualreport_change", args=[submitted.pk])
    assert 'name="results"' not in admin_client.get(change).content.decode()


def test_admin_bulk_delete_refuses_accepted_reports(admin_client, accepted, community, leader):
    other = AnnualReport.objects.create(community=community, academic_year=YEAR.previous())
    changelist = reverse("admin:reports_annualreport_changelist")
    selected = {"action": "delete_selected", "_selected_action": [accepted.pk, other.pk]}
    confirmation = admin_client.post(changelist, selected)
    assert confirmation.status_code == 200
    assert "не имеет прав" in confirmation.content.decode()
    assert admin_client.post(changelist, {**selected, "post": "yes"}).status_code == 403
    assert AnnualReport.objects.filter(pk__in=[accepted.pk, other.pk]).count() == 2
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    assert not AnnualReport.objects.filter(pk=other.pk).exists()


# --- one rule for the minimum: the report, the community page and the dashboard ------------------------------------


@pytest.fixture
def founded_mid_year(community, leader):
    """Founded on 15 January 2025 with three signed sessions in its first year: 4 × 8 / 12 → 3 required."""
    from tests.reports.compliance_helpers import held

    community.founded_on = dt.date(2025, 1, 15)
    community.save(update_fields=["founded_on"])
    for day in (dt.date(2025, 2, 10), dt.date(2025, 4, 14), dt.date(2025, 6, 16)):
        held(community, day)
    return community


def test_the_report_pro_rates_the_minimum_of_a_community_founded_mid_year(founded_mid_year):
    figures = annual_figures(founded_mid_year, YEAR, today=TODAY)

    assert (figures.sessions_held, figures.minimum, figures.required) == (3, 4, 3)
    assert (figures.minimum_met, figures.sessions_missing) == (True, 0)
    assert figures.prorated_note == "создано 15.01.2025, минимум пропорционально: 3"


def test_the_dashboard_the_community_page_and_the_report_say_the_same(admin_client, founded_mid_year):
    community, query = founded_mid_year, {"year": YEAR.label}

    dashboard = admin_client.get(reverse("reports:dashboard"), query)
    (row,) = [row for row in dashboard.context["data"].rows if row.community == community]
    page = admin_client.get(reverse("communities:detail", args=[community.pk]), query).content.decode()
    report = admin_client.get(reverse("reports:annual_report", args=[community.pk, YEAR.start_year]))
    figures = report.context["figures"]

    assert (row.held, row.required, row.remaining) == (3, 3, 0)
    assert (figures.sessions_held, figures.required, figures.sessions_missing) == (3, 3, 0)
    assert "проведено <strong>3</strong> из <strong>3</strong>" in page
    assert "минимум п. 4.2 выполнен" in page
    text = report.content.decode()
    assert "Проведено заседаний с подписанным протоколом: 3 из минимум 3." in text
    assert "не хватает" not in text


def test_the_report_and_compliance_count_the_same_unsigned_sessions(community):
    from reports.compliance import compliance_for_community
    from tests.reports.compliance_helpers import held, planned

    held(community, dt.date(2024, 10, 10), signed=False)  # a draft protocol: unsigned
    held(community, dt.date(2024, 11, 10), signed=None)  # no protocol yet: unsigned
    held(community, dt.date(2024, 12, 10), signed=True)  # counts as held
    held(community, dt.date(2025, 1, 10), signed=None, form=ActivityForm.CONSULTATION)  # not a session
    planned(community, dt.date(2025, 5, 10))  # not held

    figures = annual_figures(community, YEAR, today=TODAY)
    row = compliance_for_community(community, YEAR, today=TODAY)

    assert (figures.sessions_held, figures.sessions_unsigned) == (row.held, row.held_unsigned) == (1, 2)
