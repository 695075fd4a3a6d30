"""The rule of regulation 4.2 and the documentation checklist of section 6 (reports.compliance)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.activity import ActivityForm, required_sessions
from communities.models import AnnualPlan, Community
from meetings.models import Protocol
from pos_portal.academic_year import AcademicYear
from reports.compliance import (
    Document,
    DocumentState,
    Status,
    compliance_for_community,
    compliance_for_year,
    sessions_held_by_month,
    sessions_word,
    totals,
)
from reports.models import AnnualReport
from tests.conftest import appoint
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    AssignmentFactory,
    CommunityFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    RegulationFactory,
    TeacherFactory,
    UserFactory,
    sign_directly,
    submit_directly,
)
from tests.reports.compliance_helpers import YEAR, approved_plan, bulk_district, cancelled, held, planned

pytestmark = pytest.mark.django_db

MID_YEAR = dt.date(2025, 3, 15)  # six months into 2024/2025: two sessions expected by the pace rule
AFTER_YEAR = dt.date(2025, 10, 1)


def row_of(community, year=YEAR, today=MID_YEAR, **kwargs):
    return compliance_for_community(community, year, today=today, **kwargs)


def document(row, which: Document):
    return next(check for check in row.documents if check.document == which)


# --- what counts -------------------------------------------------------------------------------------------------


def test_a_session_on_31_august_counts_for_the_ending_year_and_1_september_for_the_next(community):
    held(community, dt.date(2025, 8, 31))
    held(community, dt.date(2025, 9, 1))
    held(community, dt.date(2025, 9, 2))

    assert row_of(community, AcademicYear(2024), today=AFTER_YEAR).held == 1
    assert row_of(community, AcademicYear(2025), today=AFTER_YEAR).held == 2


def test_cancelled_and_unsigned_meetings_do_not_count(community):
    cancelled(community, dt.date(2024, 10, 10))
    held(community, dt.date(2024, 11, 10), signed=False)  # a draft protocol
    held(community, dt.date(2024, 12, 10), signed=None)  # no protocol at all
    held(community, dt.date(2025, 1, 10), signed=True)

    row = row_of(community)

    assert (row.held, row.held_unsigned, row.planned) == (1, 2, 0)


def test_group_and_individual_forms_do_not_count_but_their_protocols_are_documents(community):
    held(community, dt.date(2024, 10, 10), form=ActivityForm.LESSON_VISIT)
    held(community, dt.date(2024, 11, 10), form=ActivityForm.CONSULTATION)
    planned(community, dt.date(2025, 4, 10), form=ActivityForm.METHODICAL_EXHIBITION)

    row = row_of(community)

    assert (row.held, row.planned) == (0, 0)
    assert document(row, Document.PROTOCOLS).state == DocumentState.OK


def test_every_collective_form_counts(community):
    for day, form in enumerate([ActivityForm.ROUND_TABLE, ActivityForm.MASTER_CLASS, ActivityForm.CONFERENCE], 1):
        held(community, dt.date(2024, 10, day), form=form)

    assert row_of(community).held == 3


def test_planned_counts_only_from_today_and_past_planned_is_shown_apart(community):
    planned(community, dt.date(2025, 2, 1))  # date passed, never marked held or cancelled
    planned(community, MID_YEAR)  # today still counts
    planned(community, dt.date(2025, 5, 20))
    planned(community, dt.date(2025, 9, 20))  # next year

    row = row_of(community)

    assert (row.planned, row.not_marked) == (2, 1)


# --- the minimum ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("founded_on", "required", "prorated"),
    [
        (dt.date(2020, 5, 1), 4, False),
        (dt.date(2024, 9, 1), 4, False),  # founded on the first day: the whole year
        (dt.date(2024, 9, 2), 4, True),  # 12 months: ceil(4)
        (dt.date(2025, 1, 15), 3, True),  # January–August, 8 months: ceil(2.67)
        (dt.date(2025, 3, 1), 2, True),  # 6 months
        (dt.date(2025, 6, 10), 1, True),  # 3 months: ceil(1)
        (dt.date(2025, 8, 31), 1, True),  # 1 month, never below one
    ],
)
def test_a_community_founded_during_the_year_gets_the_minimum_pro_rated(founded_on, required, prorated):
    community = CommunityFactory(founded_on=founded_on)

    row = row_of(community, today=AFTER_YEAR)

    assert (row.minimum, row.required, row.prorated) == (4, required, prorated)
    if prorated:
        assert row.prorated_note == f"создано {founded_on:%d.%m.%Y}, минимум пропорционально: {required}"
    else:
        assert row.prorated_note == ""


def test_the_pro_rated_minimum_follows_the_setting(settings):
    settings.MIN_MEETINGS_PER_YEAR = 6
    community = CommunityFactory(founded_on=dt.date(2025, 1, 15))

    assert required_sessions(community, YEAR) == 4  # ceil(6 × 8 / 12)
    assert row_of(community).minimum == 6


def test_a_community_founded_after_the_year_or_archived_is_left_out(community):
    later = CommunityFactory(name="Новое", founded_on=dt.date(2025, 9, 1))
    archived = CommunityFactory(name="Архивное", is_archived=True)

    rows = compliance_for_year(YEAR, today=MID_YEAR)

    assert [row.community for row in rows] == [community]
    assert row_of(later) is None
    assert row_of(archived) is None


# --- the status ----------------------------------------------------------------------------------------------------


def test_done_when_held_reaches_the_minimum(community):
    for month in (9, 10, 11, 12):
        held(community, dt.date(2024, month, 20))

    row = row_of(community, today=dt.date(2025, 1, 10))

    assert row.status == Status.DONE
    assert row.remaining_phrase == "минимум п. 4.2 выполнен"


def test_violated_when_the_year_is_over_below_the_minimum(community):
    for month in (10, 12, 3):
        held(community, dt.date(2024 + (month < 9), month, 20))

    assert row_of(community, today=dt.date(2025, 8, 31)).status == Status.AT_RISK  # the last day still counts
    row = row_of(community, today=dt.date(2025, 9, 1))
    assert row.status == Status.VIOLATED
    assert row.remaining_phrase == "минимум п. 4.2 не выполнен: проведено 3 из 4"


def test_at_risk_when_held_and_planned_cannot_reach_the_minimum(community):
    planned(community, dt.date(2024, 11, 20))
    planned(community, dt.date(2025, 2, 20))
    planned(community, dt.date(2025, 5, 20))

    row = row_of(community, today=dt.date(2024, 10, 1))  # no session expected yet by the pace

    assert (row.held, row.planned, row.status) == (0, 3, Status.AT_RISK)


def test_at_risk_when_behind_the_pace_of_one_session_a_quarter(community):
    held(community, dt.date(2024, 10, 20))
    for month in (4, 5, 6):
        planned(community, dt.date(2025, month, 20))

    # By 15 March two quarters have passed: one held is behind, though 1 + 3 planned would reach 4.
    assert row_of(community, today=MID_YEAR).status == Status.AT_RISK
    # On 28 February only one quarter had passed in full.
    assert row_of(community, today=dt.date(2025, 2, 28)).status == Status.ON_TRACK


def test_on_track_when_on_pace_and_enough_planned(community):
    held(community, dt.date(2024, 10, 20))
    held(community, dt.date(2025, 1, 20))
    planned(community, dt.date(2025, 4, 20))
    planned(community, dt.date(2025, 5, 20))

    row = row_of(community)

    assert row.status == Status.ON_TRACK
    assert row.remaining_phrase == "до конца учебного года нужно провести ещё 2 заседания"


def test_the_pace_of_a_community_founded_mid_year_starts_at_its_founding():
    community = CommunityFactory(founded_on=dt.date(2025, 1, 15))  # required 3
    planned(community, dt.date(2025, 5, 10))
    planned(community, dt.date(2025, 6, 10))
    planned(community, dt.date(2025, 7, 10))

    assert row_of(community, today=dt.date(2025, 4, 14)).status == Status.ON_TRACK  # under 3 months
    assert row_of(community, today=dt.date(2025, 4, 15)).status == Status.AT_RISK  # one session expected


def test_an_unsigned_session_does_not_count_until_signed(community):
    for month in (9, 10, 11):
        held(community, dt.date(2024, month, 20))
    draft = held(community, dt.date(2024, 12, 20), signed=False)

    assert row_of(community).status == Status.AT_RISK
    Protocol.objects.filter(pk=draft.protocol.pk).update(signed_at=timezone.now(), signed_by=TeacherFactory())
    assert row_of(community).status == Status.DONE


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "заседаний"),
        (1, "заседание"),
        (2, "заседания"),
        (4, "заседания"),
        (5, "заседаний"),
        (11, "заседаний"),
        (12, "заседаний"),
        (14, "заседаний"),
        (21, "заседание"),
        (22, "заседания"),
        (25, "заседаний"),
        (101, "заседание"),
        (111, "заседаний"),
    ],
)
def test_sessions_word_agrees_with_its_number(number, word):
    assert sessions_word(number) == word


@pytest.mark.parametrize(
    ("held_count", "phrase"), [(3, "ещё 1 заседание"), (2, "ещё 2 заседания"), (0, "ещё 4 заседания")]
)
def test_the_remaining_phrase_agrees_with_its_number(community, held_count, phrase):
    for day in range(1, held_count + 1):
        held(community, dt.date(2024, 10, day))

    assert row_of(community).remaining_phrase == f"до конца учебного года нужно провести {phrase}"


def test_the_remaining_phrase_with_five_and_more(community, settings):
    settings.MIN_MEETINGS_PER_YEAR = 5

    assert row_of(community).remaining_phrase == "до конца учебного года нужно провести ещё 5 заседаний"


# --- the documentation checklist -------------------------------------------------------------------------------


def test_a_year_with_no_plan_shows_the_plan_missing(community):
    row = row_of(community)

    assert document(row, Document.PLAN).state == DocumentState.MISSING
    assert "план на год" in row.missing_labels


def test_a_draft_plan_is_named_as_a_draft_and_an_approved_one_is_not_missing(community, other_community):
    AnnualPlanFactory(community=community, academic_year=YEAR)
    approved_plan(other_community)
    AnnualPlanFactory(community=other_community, academic_year=AcademicYear(2023))  # another year

    rows = {row.community: row for row in compliance_for_year(YEAR, today=MID_YEAR)}

    assert document(rows[community], Document.PLAN).state == DocumentState.DRAFT
    assert "план на год (черновик)" in rows[community].missing_labels
    assert document(rows[other_community], Document.PLAN).state == DocumentState.OK
    assert not any(label.startswith("план") for label in rows[other_community].missing_labels)


def test_the_district_regulation_serves_municipal_communities_only():
    school = OrganizationFactory()
    municipal = CommunityFactory(level=Community.Level.MUNICIPAL)
    institutional = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=school)
    with_own = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=school)
    RegulationFactory(community=None, effective_from=dt.date(2022, 11, 22))
    RegulationFactory(community=with_own, effective_from=dt.date(2023, 1, 10))

    rows = {row.community: row for row in compliance_for_year(YEAR, today=MID_YEAR)}

    assert document(rows[municipal], Document.REGULATION).state == DocumentState.OK
    assert document(rows[institutional], Document.REGULATION).state == DocumentState.MISSING
    assert "положение" in rows[institutional].missing_labels
    assert document(rows[with_own], Document.REGULATION).state == DocumentState.OK


def test_a_regulation_in_force_only_after_the_year_does_not_count(community):
    RegulationFactory(community=None, effective_from=dt.date(2025, 9, 1))

    assert document(row_of(community), Document.REGULATION).state == DocumentState.MISSING
    assert document(row_of(community, AcademicYear(2025), today=AFTER_YEAR), Document.REGULATION).is_missing is False


def test_the_appointment_must_be_current_during_the_year(community):
    teacher = TeacherFactory()
    assert document(row_of(community), Document.APPOINTMENT).state == DocumentState.MISSING

    appoint(community, teacher, starts_on=dt.date(2021, 9, 1), number="7-о")
    community.appointments.update(ends_on=dt.date(2024, 8, 31))  # ended the day before the year
    assert document(row_of(community), Document.APPOINTMENT).state == DocumentState.MISSING

    community.appointments.update(ends_on=dt.date(2024, 9, 1))
    check = document(row_of(community), Document.APPOINTMENT)
    assert (check.state, check.note) == (DocumentState.OK, "№ 7-о от 01.09.2021")


def test_the_leader_shown_is_the_one_of_the_year_and_the_current_one_is_kept_for_mail(community):
    first, second = TeacherFactory(surname="Первова"), TeacherFactory(surname="Вторая")
    appoint(community, first, starts_on=dt.date(2021, 9, 1), number="1-о")
    appoint(community, second, starts_on=dt.date(2025, 12, 1), number="2-о")

    row = row_of(community, today=dt.date(2026, 1, 10))

    assert (row.leader, row.current_leader) == (first, second)


def test_protocols_are_not_due_before_the_first_quarter_then_missing(community):
    assert document(row_of(community, today=dt.date(2024, 11, 30)), Document.PROTOCOLS).state == DocumentState.NOT_DUE
    assert document(row_of(community, today=dt.date(2024, 12, 1)), Document.PROTOCOLS).state == DocumentState.MISSING

    held(community, dt.date(2024, 10, 1), signed=False)
    assert document(row_of(community, today=dt.date(2024, 11, 30)), Document.PROTOCOLS).state == DocumentState.DRAFT

    held(community, dt.date(2024, 10, 2))
    check = document(row_of(community), Document.PROTOCOLS)
    assert (check.state, check.note) == (DocumentState.OK, "подписано: 1")


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (AnnualReport.Status.DRAFT, DocumentState.DRAFT),
        (AnnualReport.Status.SUBMITTED, DocumentState.OK),
        (AnnualReport.Status.ACCEPTED, DocumentState.OK),
        (AnnualReport.Status.RETURNED, DocumentState.DRAFT),
    ],
)
def test_the_annual_report(community, methodist, status, state):
    assert document(row_of(community, today=MID_YEAR), Document.REPORT).state == DocumentState.NOT_DUE
    assert document(row_of(community, today=AFTER_YEAR), Document.REPORT).state == DocumentState.MISSING

    submitted = status != AnnualReport.Status.DRAFT
    reviewed = status in (AnnualReport.Status.ACCEPTED, AnnualReport.Status.RETURNED)
    AnnualReport.objects.create(
        community=community,
        academic_year=YEAR,
        status=status,
        submitted_at=timezone.now() if submitted else None,
        submitted_by=TeacherFactory() if submitted else None,
        reviewed_at=timezone.now() if reviewed else None,
        reviewed_by=methodist if reviewed else None,
        review_comment="Добавьте цифры." if status == AnnualReport.Status.RETURNED else "",
    )

    check = document(row_of(community, today=AFTER_YEAR), Document.REPORT)
    assert (check.state, check.note) == (state, AnnualReport.Status(status).label)


def test_overdue_assignments_of_the_years_meetings(community):
    meeting = MeetingFactory(community=community, date=dt.date(2024, 10, 1))
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting))
    AssignmentFactory(decision=decision, deadline=dt.date(2024, 12, 1))  # overdue
    AssignmentFactory(decision=decision, deadline=dt.date(2025, 1, 1))  # overdue
    AssignmentFactory(decision=decision, deadline=MID_YEAR)  # due today: not yet
    AssignmentFactory(decision=decision, deadline=dt.date(2024, 11, 1), status="done", done_on=dt.date(2024, 11, 1))
    earlier = MeetingFactory(community=community, date=dt.date(2024, 5, 1))  # the year before
    AssignmentFactory(decision=DecisionFactory(agenda_item=AgendaItemFactory(meeting=earlier)))
    assert row_of(community).overdue_assignments == 0  # a draft's assignments are not under control yet
    sign_directly(meeting)
    sign_directly(earlier)

    assert row_of(community).overdue_assignments == 2
    assert row_of(community, with_documents=False).overdue_assignments == 0  # not computed without documents


def test_late_protocols_of_the_years_meetings(community, settings):
    settings.PROTOCOL_DUE_DAYS = 5
    held(community, dt.date(2025, 3, 9), signed=False)  # day 6 on MID_YEAR: late
    held(community, dt.date(2025, 3, 1), signed=None)  # no protocol at all: late
    held(community, dt.date(2025, 3, 10), signed=False)  # day 5: still on time
    held(community, dt.date(2025, 2, 1), signed=True)
    held(community, dt.date(2024, 5, 1), signed=False)  # the year before

    row = row_of(community)

    assert (row.late_protocols, row.held_unsigned) == (2, 3)
    assert row_of(community, with_documents=False).late_protocols == 2
    assert totals([row, row])["late_protocols"] == 4


def test_sessions_held_by_month_in_academic_order(community, other_community):
    held(community, dt.date(2024, 9, 10))
    held(other_community, dt.date(2024, 9, 11))
    held(community, dt.date(2025, 8, 31))
    held(community, dt.date(2025, 1, 10), signed=False)
    held(community, dt.date(2025, 1, 11), form=ActivityForm.LESSON_VISIT)
    Community.objects.filter(pk=other_community.pk).update(is_archived=True)

    months = sessions_held_by_month(YEAR)

    assert [month for month, _name, _count in months] == [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]
    assert {month: count for month, _name, count in months if count} == {9: 1, 8: 1}


# --- speed ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("with_documents", "expected"), [(True, 7), (False, 2)])
def test_a_fixed_number_of_queries_for_10_and_200_communities(with_documents, expected):
    bulk_district(10, prefix="Малый ")
    with CaptureQueriesContext(connection) as small:
        small_rows = compliance_for_year(YEAR, today=MID_YEAR, with_documents=with_documents)
    bulk_district(190, prefix="Большой ")
    with CaptureQueriesContext(connection) as large:
        large_rows = compliance_for_year(YEAR, today=MID_YEAR, with_documents=with_documents)

    assert (len(small_rows), len(large_rows)) == (10, 200)
    assert len(small.captured_queries) == len(large.captured_queries) == expected
    row = large_rows[-1]
    assert (row.held, row.planned, row.held_unsigned, row.late_protocols) == (1, 1, 1, 1)
    if with_documents:
        assert row.overdue_assignments == 1
        assert row.leader is not None
        assert document(row, Document.PLAN).state == DocumentState.OK


# --- the community page ------------------------------------------------------------------------------------------


def test_the_community_page_says_what_the_year_still_needs(client, community, leader):
    year = AcademicYear.current()
    today = timezone.localdate()
    if today > year.start:
        held(community, year.start)  # one session held on 1 September
    client.force_login(leader.user)

    response = client.get(reverse("communities:detail", args=[community.pk]))

    text = response.content.decode()
    remaining = 3 if today > year.start else 4
    assert f"до конца учебного года нужно провести ещё {remaining} заседания" in text
    assert f"проведено <strong>{4 - remaining}</strong> из <strong>4</strong>" in text


def test_the_community_page_of_a_past_year(client, community, leader):
    for day in (1, 2, 3, 4):
        held(community, dt.date(2024, 10, day))
    client.force_login(leader.user)

    response = client.get(reverse("communities:detail", args=[community.pk]), {"year": "2024/2025"})

    text = response.content.decode()
    assert "минимум п. 4.2 выполнен" in text
    assert '<span class="badge text-bg-success">выполнено</span>' in text


def test_the_community_page_says_how_many_protocols_are_late(client, community, leader):
    held(community, dt.date(2024, 10, 1), signed=False)
    held(community, dt.date(2024, 10, 2), signed=None)
    client.force_login(leader.user)
    url = reverse("communities:detail", args=[community.pk])

    text = client.get(url, {"year": "2024/2025"}).content.decode()

    assert "Протокол просрочен (не подписан через 5 дн. после заседания): <strong>2</strong>." in text
    assert "Протокол просрочен" not in client.get(url, {"year": "2023/2024"}).content.decode()


def test_the_community_page_keeps_a_fixed_number_of_queries(client, community, leader):
    client.force_login(leader.user)
    url = reverse("communities:detail", args=[community.pk])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, {"year": "2024/2025"}).status_code == 200
        return len(context.captured_queries)

    held(community, dt.date(2024, 10, 1))
    one = count()
    for day in range(2, 27):
        held(community, dt.date(2024, 10, day))
    assert count() == one


def test_an_archived_community_page_shows_no_compliance_line(client, community, leader):
    Community.objects.filter(pk=community.pk).update(is_archived=True)
    client.force_login(leader.user)

    response = client.get(reverse("communities:detail", args=[community.pk]))

    assert response.status_code == 200
    assert 'id="compliance"' not in response.content.decode()


def test_a_plan_on_approval_or_returned_is_not_approved_and_says_why(community, other_community):
    # The checklist knows every plan status; a new status would need a decision here.
    assert set(AnnualPlan.Status.values) == {"draft", "submitted", "returned", "approved"}
    submit_directly(AnnualPlanFactory(community=community, academic_year=YEAR))
    returned = submit_directly(AnnualPlanFactory(community=other_community, academic_year=YEAR))
    AnnualPlan.objects.filter(pk=returned.pk).update(
        status="returned", returned_at=timezone.now(), returned_by=UserFactory(), return_comment="Доработать"
    )

    rows = {row.community: row for row in compliance_for_year(YEAR, today=MID_YEAR)}

    assert (document(rows[community], Document.PLAN).state, document(rows[community], Document.PLAN).note) == (
        DocumentState.DRAFT,
        "на утверждении",
    )
    assert document(rows[other_community], Document.PLAN).note == "возвращён на доработку"
