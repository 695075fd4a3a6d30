import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from communities.models import Community, Membership, Teacher
from communities.services import membership_add, membership_end
from pos_portal.academic_year import AcademicYear
from tests.factories import CommunityFactory, MembershipFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_one_open_membership_per_teacher_and_community(member, community):
    duplicate = Membership(teacher=member, community=community, joined_on=dt.date(2025, 1, 1))

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Этот педагог уже состоит в сообществе." in error.value.messages
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_teacher_may_rejoin_after_leaving(member, community):
    membership = member.memberships.get()
    membership_end(membership=membership, left_on=dt.date(2025, 1, 31))

    again = membership_add(community=community, teacher=member, joined_on=dt.date(2025, 3, 1))

    assert list(Membership.objects.active_on(dt.date(2025, 2, 15)).filter(teacher=member)) == []
    assert list(Membership.objects.active_on(dt.date(2025, 3, 1)).filter(teacher=member)) == [again]


@pytest.mark.parametrize(
    ("joined_on", "left_on", "during"),
    [
        (dt.date(2025, 8, 31), None, True),  # joined on the year's last day
        (dt.date(2025, 9, 1), None, False),  # joined after the year
        (dt.date(2023, 9, 1), dt.date(2024, 9, 1), True),  # left on the year's first day
        (dt.date(2023, 9, 1), dt.date(2024, 8, 31), False),  # left before the year
        (dt.date(2023, 9, 1), None, True),
    ],
)
def test_a_member_during_the_year_is_a_member_on_one_of_its_days(community, joined_on, left_on, during):
    membership = MembershipFactory(community=community, joined_on=joined_on, left_on=left_on)

    assert Membership.objects.active_during(AcademicYear(2024)).filter(pk=membership.pk).exists() is during


def test_rejoining_into_a_past_membership_period_is_refused(member, community):
    membership_end(membership=member.memberships.get(), left_on=dt.date(2025, 1, 31))

    with pytest.raises(ValidationError) as error:
        membership_add(community=community, teacher=member, joined_on=dt.date(2024, 12, 1))
    assert error.value.messages == ["У педагога уже есть членство в этом сообществе за эти даты."]


def test_left_on_cannot_precede_joined_on(member):
    membership = member.memberships.get()
    membership.left_on = membership.joined_on - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "Дата выхода не может быть раньше даты вступления." in error.value.messages


def test_institutional_community_needs_its_organization():
    community = Community(name="ПОС без школы", level=Community.Level.INSTITUTIONAL)

    with pytest.raises(ValidationError) as error:
        community.full_clean()
    assert error.value.message_dict["organization"] == ["Для институционального ПОС укажите базовую организацию."]
    with pytest.raises(IntegrityError):
        community.save()


def test_institutional_community_takes_only_its_organizations_teachers():
    kindergarten = OrganizationFactory(short_name="МКДОУ «Детский сад № 34 «Радуга»»")
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=kindergarten)
    stranger = TeacherFactory()

    with pytest.raises(ValidationError) as error:
        membership_add(community=community, teacher=stranger)
    assert error.value.message_dict["teacher"] == [
        "Институциональный ПОС объединяет педагогов одной организации: МКДОУ «Детский сад № 34 «Радуга»»."
    ]
    assert membership_add(community=community, teacher=TeacherFactory(organization=kindergarten)).pk


def test_archived_community_accepts_no_new_members():
    community = CommunityFactory(is_archived=True)

    with pytest.raises(ValidationError) as error:
        membership_add(community=community, teacher=TeacherFactory())
    assert error.value.messages == ["Сообщество в архиве: новых членов принять нельзя."]


def test_current_leader_cannot_simply_leave(leader, community):
    membership = leader.memberships.get(community=community)

    with pytest.raises(ValidationError):
        membership_end(membership=membership)
    membership.refresh_from_db()
    assert membership.left_on is None


def test_teacher_name_forms():
    teacher = TeacherFactory(surname="Зеленова", name="Елена", patronymic="Александровна")

    assert (teacher.short_name, teacher.signature_name) == ("Зеленова Е.А.", "Е.А. Зеленова")
    assert TeacherFactory(surname="Смит", name="Джон", patronymic="").short_name == "Смит Д."


def test_membership_roles_do_not_include_leader():
    # Leadership comes only from an appointment order, never from a membership role.
    assert "leader" not in Membership.Role.values
    MembershipFactory(role=Membership.Role.SECRETARY).full_clean()


def test_teacher_search_folds_cyrillic_case():
    zelenova = TeacherFactory(surname="Зеленова", name="Елена", patronymic="Александровна")
    TeacherFactory(surname="Седихина", name="Вера")

    assert list(Teacher.objects.search("зеленова")) == [zelenova]
    assert list(Teacher.objects.search("ЗЕЛЕНОВА елена")) == [zelenova]
    assert list(Teacher.objects.search("  ")) == list(Teacher.objects.all())
