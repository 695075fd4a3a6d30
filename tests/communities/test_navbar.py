"""The navbar (``communities.context_processors.portal_role``): the district's links and the second factor's
link go to those the access predicates name, and nobody else."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DISTRICT_LINKS = ("communities:teachers", "reports:dashboard", "reports:annual_report_list")
TWO_FACTOR = "two_factor"
ADMIN = "admin:index"


def navbar_links(client, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    return {name for name in (*DISTRICT_LINKS, TWO_FACTOR, ADMIN) if f'href="{reverse(name)}"' in page}


def test_methodists_and_the_department_see_the_district_and_the_second_factor(client, methodist):
    department = UserFactory(username="department", is_superuser=True, is_staff=True)

    assert navbar_links(client, methodist) == {*DISTRICT_LINKS, TWO_FACTOR}
    assert navbar_links(client, department) == {*DISTRICT_LINKS, TWO_FACTOR, ADMIN}


def test_a_staff_user_gets_the_admin_and_the_second_factor_but_not_the_district(client):
    staff = UserFactory(username="staff", is_staff=True)

    assert navbar_links(client, staff) == {TWO_FACTOR, ADMIN}


def test_a_leader_and_a_member_get_neither(client, leader, member):
    assert navbar_links(client, leader.user) == set()
    assert navbar_links(client, member.user) == set()
