"""The counts the community list and the community page show: members today, acknowledgements of members."""

import datetime as dt

import pytest

from communities.models import Community, Membership, Regulation
from communities.services import acknowledgement_record
from tests.factories import CommunityFactory, MembershipFactory, RegulationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 1)


def test_member_count_counts_members_on_the_day_only():
    community = CommunityFactory(name="ПОС А")
    MembershipFactory(community=community, joined_on=dt.date(2024, 9, 1))
    MembershipFactory(community=community, joined_on=dt.date(2024, 9, 1), left_on=dt.date(2025, 2, 28))
    MembershipFactory(community=community, joined_on=dt.date(2025, 3, 2))
    MembershipFactory(community=community, joined_on=dt.date(2024, 9, 1), left_on=DAY)
    other = CommunityFactory(name="ПОС Б")
    MembershipFactory(community=other, joined_on=dt.date(2024, 9, 1))
    empty = CommunityFactory(name="ПОС В")

    counts = dict(Community.objects.with_member_count(DAY).values_list("pk", "member_count"))

    assert counts == {community.pk: 2, other.pk: 1, empty.pk: 0}


def test_member_count_of_a_page_does_not_change_the_number_of_rows():
    community = CommunityFactory()
    MembershipFactory.create_batch(3, community=community, joined_on=dt.date(2024, 9, 1))

    rows = list(Community.objects.with_member_count(DAY))

    assert [(row.pk, row.member_count) for row in rows] == [(community.pk, 3)]


def test_acknowledged_count_counts_only_the_given_teachers():
    community = CommunityFactory()
    members = [MembershipFactory(community=community).teacher for _ in range(3)]
    stranger = TeacherFactory()
    district = RegulationFactory(community=None)
    own = RegulationFactory(community=community, title="Положение о ПОС")
    for teacher in (members[0], members[1], stranger):
        acknowledgement_record(regulation=district, teacher=teacher)
    acknowledgement_record(regulation=own, teacher=members[2])
    unread = RegulationFactory(community=None, title="Новое положение")

    current = Membership.objects.filter(community=community).values("teacher_id")
    counts = dict(Regulation.objects.with_acknowledged_count(current).values_list("pk", "acknowledged_count"))

    assert counts == {district.pk: 2, own.pk: 1, unread.pk: 0}
