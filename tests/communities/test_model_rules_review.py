"""Rules found while building the portal pages, kept in the model layer so every path obeys them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from communities.models import Community, Material
from communities.services import acknowledgement_record, membership_end
from tests.factories import (
    AnnualPlanFactory,
    AssignmentFactory,
    CommunityFactory,
    DecisionFactory,
    MeetingFactory,
    OrganizationFactory,
    PlanItemFactory,
    RegulationFactory,
    TeacherFactory,
    approve_directly,
)
from tests.files import PDF

pytestmark = pytest.mark.django_db


def test_a_former_member_no_longer_acknowledges_the_community_regulation(community, member):
    membership_end(membership=member.memberships.get(), left_on=dt.date(2025, 1, 31))

    with pytest.raises(ValidationError):
        acknowledgement_record(regulation=RegulationFactory(community=community), teacher=member)


def test_ending_a_membership_twice_is_refused(member):
    membership = membership_end(membership=member.memberships.get(), left_on=dt.date(2025, 1, 31))

    with pytest.raises(ValidationError) as error:
        membership_end(membership=membership, left_on=dt.date(2025, 6, 1))
    assert error.value.messages == ["Членство уже завершено 31.01.2025."]


def test_a_community_with_members_from_elsewhere_cannot_become_institutional(community, member):
    community.level = Community.Level.INSTITUTIONAL
    community.organization = OrganizationFactory(short_name="МКДОУ «Детский сад № 7 «Ёлочка»»")

    with pytest.raises(ValidationError) as error:
        community.full_clean()
    assert "сейчас нет: Кузнецов И.П." in error.value.message_dict["organization"][0]


def test_active_community_names_are_unique_whatever_the_case(community):
    with pytest.raises(ValidationError) as error:
        Community(name=community.name.upper(), level=Community.Level.MUNICIPAL).full_clean()
    assert "Действующее сообщество с таким названием уже есть." in error.value.messages


def test_material_links_are_web_links_only(community):
    material = Material(community=community, title="Ссылка", url="ftp://files.example/x.pdf")

    with pytest.raises(ValidationError) as error:
        material.full_clean()
    assert error.value.message_dict["url"] == ["Укажите ссылку, начинающуюся с http:// или https://."]


def test_material_keeps_the_uploaded_file_name(community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    material = Material(community=community, title="Конспект", file=SimpleUploadedFile("Урок № 5.pdf", PDF))
    material.full_clean()
    material.save()

    assert material.original_name == "Урок № 5.pdf"
    assert material.file.name != "materials/Урок № 5.pdf"


def test_plan_item_responsible_is_a_member(community, member):
    plan = AnnualPlanFactory(community=community)

    PlanItemFactory.build(plan=plan, responsible=member).full_clean()
    with pytest.raises(ValidationError) as error:
        PlanItemFactory.build(plan=plan, responsible=TeacherFactory()).full_clean()
    assert error.value.message_dict["responsible"] == ["Ответственным может быть только член этого ПОС."]


def test_assignment_responsible_is_a_member_on_the_meeting_date(community, member):
    decision = DecisionFactory(agenda_item__meeting=MeetingFactory(community=community))

    AssignmentFactory.build(decision=decision, responsible=member).full_clean()
    with pytest.raises(ValidationError) as error:
        AssignmentFactory.build(decision=decision, responsible=TeacherFactory()).full_clean()
    assert error.value.message_dict["responsible"] == ["Ответственным может быть только член ПОС на дату заседания."]


def test_assignment_is_not_done_before_it_was_given(community, member):
    decision = DecisionFactory(agenda_item__meeting=MeetingFactory(community=community, date=dt.date(2024, 10, 15)))
    assignment = AssignmentFactory.build(
        decision=decision, responsible=member, status="done", done_on=dt.date(2024, 10, 1)
    )

    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert error.value.message_dict["done_on"] == [
        "Поручение не может быть выполнено раньше заседания, на котором дано."
    ]


def test_raising_the_minimum_later_does_not_lock_an_approved_plan(settings):
    plan = AnnualPlanFactory()
    for _ in range(4):
        PlanItemFactory(plan=plan)
    approve_directly(plan)
    settings.MIN_MEETINGS_PER_YEAR = 6

    plan.refresh_from_db()
    plan.theme = "Уточнённая тема"
    plan.full_clean()


def test_an_event_fulfilled_by_a_meeting_stays_in_the_plan(community):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=community))
    MeetingFactory(community=community, plan_item=item)

    with pytest.raises(ProtectedError):
        item.delete()


def test_other_community_unaffected_by_name_rule():
    CommunityFactory(name="ПОС физиков", is_archived=True)
    Community(name="пос физиков", level=Community.Level.MUNICIPAL).full_clean()
