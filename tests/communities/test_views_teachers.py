"""The teachers directory for ИОЦ methodists and the Department."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommunityFactory, MembershipFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

URL = reverse("communities:teachers")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_methodist_sees_teachers_with_their_current_communities(client, methodist, community, leader, member):
    MembershipFactory(teacher=member, community=CommunityFactory(name="Старый ПОС"), left_on=dt.date(2023, 5, 31))
    member.email = "kuznetsov@example.org"
    member.subjects = "математика"
    member.qualification_category = "highest"
    member.save()
    client.force_login(methodist)

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Кузнецов Игорь Павлович" in page
    assert "kuznetsov@example.org" in page
    assert "высшая" in page and "математика" in page
    assert "ПОС учителей математики" in page
    assert "Старый ПОС" not in page
    row = next(t for t in response.context["page"] if t == member)
    assert [m.community.name for m in row.current_memberships] == ["ПОС учителей математики"]


def test_department_sees_the_directory(client, admin_user, member):
    client.force_login(admin_user)

    assert "Кузнецов Игорь Павлович" in client.get(URL).content.decode()


def test_search_and_organization_filter(client, methodist):
    school = OrganizationFactory(short_name="МОУ СШ № 7")
    TeacherFactory(surname="Белова", organization=school)
    TeacherFactory(surname="Белкина")
    TeacherFactory(surname="Чернова", organization=school)
    client.force_login(methodist)

    def surnames(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return [teacher.surname for teacher in response.context["page"]]

    assert surnames(q="Бел") == ["Белкина", "Белова"]
    assert surnames(q="белова") == ["Белова"]
    assert surnames(organization=school.pk) == ["Белова", "Чернова"]
    assert surnames(q="Бел", organization=school.pk) == ["Белова"]


@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "-1"}, {"organization": "abc"}, {"q": "  "}])
def test_bad_parameters_do_not_break_the_page(client, methodist, member, query):
    client.force_login(methodist)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert "Кузнецов" in response.content.decode()


def test_directory_is_paginated_by_25(client, methodist):
    for number in range(26):
        TeacherFactory(surname=f"Педагог{number:02d}")
    client.force_login(methodist)

    assert len(client.get(URL).context["page"]) == 25
    assert [t.surname for t in client.get(URL, {"page": 2}).context["page"]] == ["Педагог25"]


def _teachers_in_communities(count):
    for _ in range(count):
        teacher = TeacherFactory(organization=OrganizationFactory())
        MembershipFactory(teacher=teacher)
        MembershipFactory(teacher=teacher)


def test_query_count_does_not_grow_with_rows(client, methodist):
    client.force_login(methodist)
    _teachers_in_communities(1)
    one = count_queries(client, URL)
    _teachers_in_communities(24)
    assert len(client.get(URL).context["page"]) == 25
    many = count_queries(client, URL)

    assert one == many
