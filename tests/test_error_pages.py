"""403 and 404 answer in Russian, inside the portal's layout."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_404_is_russian(client, member):
    client.force_login(member.user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_an_outsiders_view_of_a_community_is_a_russian_404(client, community, outsider):
    client.force_login(outsider.user)

    response = client.get(reverse("communities:detail", args=[community.pk]))

    assert response.status_code == 404
    assert "Такой страницы нет или она вам недоступна." in response.content.decode()


def test_403_is_russian_and_says_why(client, community, member):
    client.force_login(member.user)

    response = client.get(reverse("communities:member_add", args=[community.pk]))

    assert response.status_code == 403
    text = response.content.decode()
    assert "Доступ запрещён" in text
    assert "Это действие доступно только руководителю ПОС." in text


def test_csrf_failure_is_explained_in_russian(member, leader, community):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(leader.user)

    response = client.post(reverse("communities:plan_copy", args=[community.pk]))

    assert response.status_code == 403
    assert "Форма устарела" in response.content.decode()


def test_opening_a_button_only_url_in_the_browser_explains_it_in_russian(client, leader, community):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(community=community)
    client.force_login(leader.user)

    response = client.get(reverse("meetings:correction", args=[meeting.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    text = response.content.decode()
    assert "Действие выполняется кнопкой" in text
    assert "Главная" in text  # inside the portal's layout, with its menu
