"""The Department's admin of organizations, teachers, communities, appointments and plans."""

import datetime as dt

import pytest
from django.contrib import admin, messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.activity import ActivityForm
from communities.models import (
    Acknowledgement,
    AnnualPlan,
    Community,
    LeaderAppointment,
    Material,
    Membership,
    Organization,
    PlanItem,
    Regulation,
)
from communities.models.plans import sessions_missing_message
from meetings.models import Decision, PlanDiscussion, ProtocolReceipt
from meetings.services import protocol_correct, protocol_sign
from tests.conftest import appoint
from tests.factories import (
    PAST_YEAR_START,
    AnnualPlanFactory,
    AssignmentFactory,
    CommunityFactory,
    DepartmentFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    PlanItemFactory,
    RegulationFactory,
    TeacherFactory,
    UserFactory,
    sign_directly,
    submit_directly,
)
from tests.files import PDF


def admin_url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def assert_changelist_queries_constant(client, model, add_row, rows=25):
    """The changelist of ``model`` takes as many queries with ``rows`` rows as with one."""
    url = admin_url(model)
    add_row()
    client.get(url)  # warm caches (content types, session) so both measurements start alike
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    for _ in range(rows - 1):
        add_row()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
    queries = "\n".join(query["sql"] for query in many.captured_queries)
    assert len(many) == len(one), f"{len(one)} queries with 1 row, {len(many)} with {rows}:\n{queries}"
    return response


def messages_of(response):
    return [(message.level, message.message) for message in response.context["messages"]]


# --- every page opens -------------------------------------------------------------------------


@pytest.fixture
def populated(draft_protocol, leader, member):
    """A row of every model, so that changelists render their columns and change pages exist."""
    meeting = draft_protocol.meeting
    AssignmentFactory(decision=Decision.objects.get(agenda_item__meeting=meeting), responsible=member)
    meeting.guests.create(full_name="Петрова Мария Ивановна", position="методист", organization="ИОЦ")
    signed_protocol = protocol_sign(protocol=draft_protocol, user=leader.user)
    plan = AnnualPlanFactory(community=signed_protocol.community)
    PlanItemFactory(plan=plan, responsible=leader)
    PlanDiscussion.objects.create(plan=plan, protocol=signed_protocol)
    regulation = RegulationFactory(community=signed_protocol.community)
    regulation.acknowledgements.create(teacher=member, acknowledged_on=dt.date(2024, 9, 10))
    protocol_correct(protocol=signed_protocol, author=leader, text="Читать «2025» вместо «2024».", reason="Опечатка")
    ProtocolReceipt.objects.create(protocol=signed_protocol, teacher=member)
    return signed_protocol


@pytest.mark.slow  # every admin page of the app
def test_every_changelist_add_and_change_page_opens(admin_client, populated):
    ours = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"communities", "meetings"}
    }
    assert len(ours) >= 18
    for model, model_admin in ours.items():
        changelist = admin_client.get(admin_url(model))
        assert changelist.status_code == 200, model
        add = admin_client.get(admin_url(model, "add"))
        # A record only the portal writes (a member's receipt, the plan's discussion) has no add page: refused.
        addable = model_admin.has_add_permission(changelist.wsgi_request)
        assert add.status_code == (200 if addable else 403), model
        obj = model_admin.get_queryset(changelist.wsgi_request).first()
        if obj is not None:
            change = admin_client.get(admin_url(model, "change", obj.pk))
            assert change.status_code == 200, model


def test_admin_pages_are_in_russian(admin_client, populated):
    response = admin_client.get(admin_url(Community))

    content = response.content.decode()
    assert "Выберите ПОС для изменения" in content
    assert "руководитель" in content.lower()


# --- teachers -----------------------------------------------------------------------------------


def test_teacher_autocomplete_finds_the_teacher_by_surname(admin_client, member, leader):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "communities", "model_name": "membership", "field_name": "teacher", "term": "Кузнец"},
    )

    assert response.status_code == 200
    # Namesakes differ by organization and position (the admin's autocomplete label).
    label = f"Кузнецов И.П. — {member.organization.short_name}, {member.position_label}"
    assert response.json()["results"] == [{"id": str(member.pk), "text": label}]


def test_teacher_search_in_the_changelist(admin_client, member, leader):
    response = admin_client.get(admin_url(type(member)), {"q": "Смирнова Ольга"})

    assert list(response.context["cl"].result_list) == [leader]


# --- communities and members ---------------------------------------------------------------------


def test_community_list_shows_current_leader_and_member_count(admin_client, community, leader, member):
    MembershipFactory(community=community, joined_on=PAST_YEAR_START, left_on=dt.date(2024, 12, 31))

    response = admin_client.get(admin_url(Community))

    row = response.context["cl"].result_list[0]
    assert response.context["cl"].model_admin.leader(row) == leader
    assert row.member_count == 2  # the leader and the member; the one who left is not counted
    assert "Смирнова О.В." in response.content.decode()


def test_ending_the_leaders_membership_is_refused(admin_client, community, leader):
    membership = Membership.objects.get(community=community, teacher=leader)

    response = admin_client.post(
        admin_url(Membership, "change", membership.pk),
        {
            "community": community.pk,
            "teacher": leader.pk,
            "role": Membership.Role.MEMBER,
            "duties": "",
            "joined_on": "01.09.2024",
            "left_on": "01.02.2025",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["left_on"] == [
        "Это действующий руководитель ПОС: сначала оформите приказ о назначении нового руководителя."
    ]
    membership.refresh_from_db()
    assert membership.left_on is None


# --- leader appointments -----------------------------------------------------------------------------


def appointment_data(community, teacher, starts_on="10.01.2025", **extra):
    return {
        "community": community.pk,
        "teacher": teacher.pk,
        "starts_on": starts_on,
        "order_number": "7-о",
        "order_date": starts_on,
        "issued_by": DepartmentFactory().pk,
        "note": "",
        **extra,
    }


def test_adding_an_appointment_ends_the_previous_one(admin_client, community, leader, member):
    previous = LeaderAppointment.objects.get(community=community, teacher=leader)

    response = admin_client.post(admin_url(LeaderAppointment, "add"), appointment_data(community, member))

    assert response.status_code == 302
    previous.refresh_from_db()
    assert previous.ends_on == dt.date(2025, 1, 9)
    new = LeaderAppointment.objects.get(community=community, ends_on__isnull=True)
    assert (new.teacher, new.starts_on, new.order_number) == (member, dt.date(2025, 1, 10), "7-о")
    assert community.current_leader == member


def test_appointing_an_outsider_makes_them_a_member(admin_client, community, leader, outsider):
    response = admin_client.post(
        admin_url(LeaderAppointment, "add"), appointment_data(community, outsider, note="по заявлению")
    )

    assert response.status_code == 302
    assert Membership.objects.active_on(dt.date(2025, 1, 10)).filter(community=community, teacher=outsider).exists()
    assert LeaderAppointment.objects.get(teacher=outsider).note == "по заявлению"


def test_appointment_starting_before_the_current_one_is_a_form_error(admin_client, community, leader, member):
    response = admin_client.post(
        admin_url(LeaderAppointment, "add"), appointment_data(community, member, starts_on="01.08.2024")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Новое назначение должно начинаться позже текущего (с 01.09.2024)."
    ]
    assert list(LeaderAppointment.objects.filter(community=community).values_list("teacher", "ends_on")) == [
        (leader.pk, None)
    ]


def test_refused_appointment_leaves_no_trace(admin_client):
    """The service ends the current appointment before it finds that the teacher cannot join:
    after the refusal the previous leader is still in charge and nobody joined."""
    school = OrganizationFactory()
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=school)
    leader = TeacherFactory(organization=school)
    appoint(community, leader)
    stranger = TeacherFactory()  # works in another organization

    response = admin_client.post(admin_url(LeaderAppointment, "add"), appointment_data(community, stranger))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["teacher"] == [
        f"Институциональный ПОС объединяет педагогов одной организации: {school}."
    ]
    assert LeaderAppointment.objects.get(community=community).ends_on is None
    assert not Membership.objects.filter(teacher=stranger).exists()


def test_appointment_add_page_is_prefilled_from_the_community_page(admin_client, community):
    DepartmentFactory()
    community_page = admin_client.get(admin_url(Community, "change", community.pk))
    link = f"{admin_url(LeaderAppointment, 'add')}?community={community.pk}"
    assert link in community_page.content.decode()

    response = admin_client.get(link)

    form = response.context["adminform"].form
    assert form.initial["community"] == str(community.pk)
    assert form.initial["issued_by"] is not None


# --- annual plans -----------------------------------------------------------------------------------


def approve_via_admin(client, *plans):
    return client.post(
        admin_url(AnnualPlan),
        {"action": "approve", "_selected_action": [plan.pk for plan in plans]},
        follow=True,
    )


def test_plan_with_three_sessions_stays_a_draft_with_the_reason(admin_client, community):
    plan = AnnualPlanFactory(community=community)
    PlanItemFactory.create_batch(3, plan=plan)
    PlanItemFactory(plan=plan, form=ActivityForm.LESSON_VISIT)  # a group form is not a session
    submit_directly(plan)

    response = approve_via_admin(admin_client, plan)

    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED
    assert plan.approved_at is None
    assert messages_of(response) == [(messages.ERROR, f"{plan}: {sessions_missing_message(1, 4)}")]


def test_plan_with_four_sessions_is_approved_by_the_admin_user(admin_client, admin_user, community):
    plan = AnnualPlanFactory(community=community)
    PlanItemFactory.create_batch(4, plan=plan)
    submit_directly(plan)

    response = approve_via_admin(admin_client, plan)

    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.APPROVED
    assert plan.approved_by == admin_user
    assert messages_of(response) == [(messages.SUCCESS, "Утверждено планов: 1.")]


def test_approval_status_cannot_be_set_in_the_form(admin_client, community):
    plan = AnnualPlanFactory(community=community)

    admin_client.post(
        admin_url(AnnualPlan, "change", plan.pk),
        {
            "community": community.pk,
            "academic_year": "2024/2025",
            "theme": "Новая тема",
            "status": AnnualPlan.Status.APPROVED,
            "edited_version": plan.version,
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
        },
    )

    plan.refresh_from_db()
    assert plan.theme == "Новая тема"
    assert plan.status == AnnualPlan.Status.DRAFT


def approved_plan(community, sessions=4):
    plan = AnnualPlanFactory(community=community)
    items = PlanItemFactory.create_batch(sessions, plan=plan)
    plan.status, plan.approved_at = AnnualPlan.Status.APPROVED, dt.datetime(2024, 9, 5, tzinfo=dt.UTC)
    plan.save()
    return plan, items


def test_approved_plan_keeps_its_minimum_of_sessions_in_the_inline(admin_client, community):
    plan, items = approved_plan(community)
    data = {
        "community": community.pk,
        "academic_year": "2024/2025",
        "theme": plan.theme,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
    }
    for index, item in enumerate(items):
        prefix = f"items-{index}"
        data |= {f"{prefix}-id": item.pk, f"{prefix}-plan": plan.pk, f"{prefix}-month": item.month}
        data |= {f"{prefix}-topic": item.topic, f"{prefix}-form": item.form}
    data["items-0-DELETE"] = "on"

    response = admin_client.post(admin_url(AnnualPlan, "change", plan.pk), data)

    assert response.status_code == 200
    assert "в нём должно оставаться не менее 4 заседаний" in response.content.decode()
    assert plan.items.count() == 4


def test_approved_plan_session_at_the_minimum_cannot_be_deleted(admin_client, community):
    plan, items = approved_plan(community)

    response = admin_client.post(admin_url(PlanItem, "delete", items[0].pk), {"post": "yes"})

    assert response.status_code == 200
    assert "в нём должно оставаться не менее 4 заседаний" in response.content.decode()
    assert plan.items.count() == 4


def test_approved_plan_session_at_the_minimum_keeps_its_form(admin_client, community):
    _, items = approved_plan(community)
    item = items[0]

    response = admin_client.post(
        admin_url(PlanItem, "change", item.pk),
        {"month": item.month, "topic": item.topic, "form": ActivityForm.CONSULTATION},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["form"] == [
        "План утверждён: по положению (п. 4.2) в нём должно оставаться не менее 4 заседаний."
    ]
    item.refresh_from_db()
    assert item.form == ActivityForm.SESSION


# --- materials ---------------------------------------------------------------------------------------


def test_material_keeps_the_uploaded_file_name(admin_client, community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("Кейс урока.pdf", PDF, content_type="application/pdf")

    response = admin_client.post(
        admin_url(Material, "add"),
        {"community": community.pk, "title": "Кейс урока", "kind": Material.Kind.LESSON, "file": upload},
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.original_name == "Кейс урока.pdf"
    assert material.file.name != "Кейс урока.pdf"


# --- changelists keep a fixed number of queries -----------------------------------------------------


def community_with_leader():
    school = OrganizationFactory()
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=school)
    leader = TeacherFactory(organization=school, user=UserFactory())
    appoint(community, leader)
    MembershipFactory(community=community, teacher=TeacherFactory(organization=school))
    return community, leader


def test_teacher_changelist_queries(admin_client):
    def add_row():
        MembershipFactory(teacher=TeacherFactory(user=UserFactory()))

    assert_changelist_queries_constant(admin_client, TeacherFactory._meta.model, add_row)


def test_community_changelist_queries(admin_client):
    response = assert_changelist_queries_constant(admin_client, Community, community_with_leader)

    assert response.content.decode().count("Иванова") >= 25  # the leaders are shown


def test_membership_changelist_queries(admin_client):
    assert_changelist_queries_constant(admin_client, Membership, MembershipFactory)


def test_leader_appointment_changelist_queries(admin_client):
    assert_changelist_queries_constant(admin_client, LeaderAppointment, community_with_leader)


def test_annual_plan_changelist_queries(admin_client):
    def add_row():
        plan = AnnualPlanFactory()
        PlanItemFactory(plan=plan)
        PlanItemFactory(plan=plan, form=ActivityForm.CONSULTATION)

    response = assert_changelist_queries_constant(admin_client, AnnualPlan, add_row)

    assert response.content.decode().count("1 из 4") == 25


def add_regulation():
    community, leader = community_with_leader()
    regulation = RegulationFactory(community=community, approved_by="приказом", approved_order_number="5")
    regulation.acknowledgements.create(teacher=leader, acknowledged_on=dt.date(2024, 9, 10))


def add_plan_item():
    PlanItemFactory(responsible=TeacherFactory())


def add_material():
    community, leader = community_with_leader()
    material = Material.objects.create(community=community, title="Кейс", url="https://example.org/", added_by=leader)
    material.authors.add(leader, TeacherFactory())


def add_receipt():
    protocol = sign_directly(MeetingFactory())
    ProtocolReceipt.objects.create(protocol=protocol, teacher=TeacherFactory())


@pytest.mark.parametrize(
    ("model", "add_row"),
    [
        (Organization, lambda: TeacherFactory()),
        (ProtocolReceipt, add_receipt),
        (Regulation, add_regulation),
        (Acknowledgement, add_regulation),
        (PlanItem, add_plan_item),
        (Material, add_material),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_other_changelist_queries(admin_client, model, add_row):
    assert_changelist_queries_constant(admin_client, model, add_row)
