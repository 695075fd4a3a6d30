"""The community list is cached per data version, day, who sees what and query (communities/data_version.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community, Membership
from tests.conftest import teacher_with_login
from tests.factories import CommunityFactory, MembershipFactory, TeacherFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("communities:list")


def test_a_committed_new_member_is_counted_at_once(client, methodist, community, django_capture_on_commit_callbacks):
    client.force_login(methodist)
    assert [c.member_count for c in client.get(LIST_URL).context["page"]] == [0]

    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(teacher=TeacherFactory(), community=community, joined_on=dt.date(2024, 9, 1))

    assert [c.member_count for c in client.get(LIST_URL).context["page"]] == [1]
    assert '<td class="text-end">1</td>' in client.get(LIST_URL).content.decode()


def test_a_committed_new_community_is_listed_at_once(client, methodist, community, django_capture_on_commit_callbacks):
    client.force_login(methodist)
    client.get(LIST_URL)

    with django_capture_on_commit_callbacks(execute=True):
        CommunityFactory(name="ПОС новое")

    assert "ПОС новое" in client.get(LIST_URL).content.decode()


def test_members_of_different_communities_never_share_a_cached_list(client, db):
    first, second = teacher_with_login("first"), teacher_with_login("second")
    MembershipFactory(teacher=first, community=CommunityFactory(name="ПОС первое"))
    MembershipFactory(teacher=second, community=CommunityFactory(name="ПОС второе"))

    client.force_login(first.user)
    first_text = client.get(LIST_URL).content.decode()
    client.force_login(second.user)
    second_text = client.get(LIST_URL).content.decode()

    assert "ПОС первое" in first_text and "ПОС второе" not in first_text
    assert "ПОС второе" in second_text and "ПОС первое" not in second_text


def test_a_cached_list_reads_no_community(client, methodist, community):
    client.force_login(methodist)
    first = client.get(LIST_URL, {"level": Community.Level.MUNICIPAL})

    with CaptureQueriesContext(connection) as context:
        second = client.get(LIST_URL, {"level": Community.Level.MUNICIPAL})

    assert second.content.count(b"<tr>") == first.content.count(b"<tr>") > 1
    assert [q["sql"] for q in context.captured_queries if '"communities_community"' in q["sql"]] == []


def test_a_cached_list_carries_no_parameter_of_another_request(client, methodist):
    for number in range(30):
        CommunityFactory(name=f"ПОС № {number:02d}")
    client.force_login(methodist)

    client.get(LIST_URL, {"next": "https://evil.example/"})
    text = client.get(LIST_URL).content.decode()

    assert 'href="?page=2">Вперёд' in text
    assert "evil.example" not in text
