"""The portal's sign-in backend loads the user, the teacher profile and the methodist role in one query."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.access import teacher_of
from communities.backends import PortalModelBackend
from pos_portal.roles import METHODISTS_GROUP, is_methodist
from tests.conftest import teacher_with_login

pytestmark = pytest.mark.django_db


def test_one_query_gives_the_user_the_teacher_and_the_role(methodist, leader):
    backend = PortalModelBackend()

    with CaptureQueriesContext(connection) as context:
        loaded_methodist = backend.get_user(methodist.pk)
        loaded_leader = backend.get_user(leader.user.pk)
        answers = (
            is_methodist(loaded_methodist),
            teacher_of(loaded_methodist),
            is_methodist(loaded_leader),
            teacher_of(loaded_leader),
        )

    assert answers == (True, None, False, leader)
    assert len(context.captured_queries) == 2


def test_an_inactive_or_missing_user_is_not_loaded(leader):
    leader.user.is_active = False
    leader.user.save()

    assert PortalModelBackend().get_user(leader.user.pk) is None
    assert PortalModelBackend().get_user(999_999) is None


def test_a_methodist_removed_from_the_group_loses_the_dashboard_at_the_next_request(client, methodist):
    client.force_login(methodist)
    assert client.get(reverse("reports:dashboard")).status_code == 200

    methodist.groups.remove(Group.objects.get(name=METHODISTS_GROUP))

    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_a_teacher_with_a_login_is_named_in_the_navbar(client):
    teacher = teacher_with_login("ivanova", surname="Иванова", name="Мария", patronymic="Сергеевна")
    client.force_login(teacher.user)

    assert "Иванова М.С." in client.get(reverse("home")).content.decode()
