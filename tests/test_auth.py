"""Sign-in: Russian pages, nothing public, lockout after repeated failures, password reset."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher_user():
    return UserFactory(username="ivanova", password="right-password", email="ivanova@school.example")


def login(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def test_login_page_is_russian_and_public(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Вход в ПОС-портал" in response.content.decode()


def test_pages_send_anonymous_visitors_to_login(client):
    response = client.get(reverse("communities:list"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('communities:list')}"


def test_successful_login_goes_home(client, teacher_user):
    response = login(client, "ivanova", "right-password")

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_is_explained_in_russian(client, teacher_user):
    response = login(client, "ivanova", "wrong")

    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль." in response.content.decode()


def test_repeated_failures_lock_the_account(client, teacher_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ivanova", "wrong")

    response = login(client, "ivanova", "right-password")

    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_locked_too(client, settings):
    UserFactory(username="department", password="right-password", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "department", "wrong", url=admin_login)

    response = login(client, "department", "right-password", url=admin_login)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account(client, teacher_user, settings):
    UserFactory(username="petrova", password="her-password")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ivanova", "wrong")

    assert login(client, "petrova", "her-password").status_code == 302


def test_password_reset_sends_a_russian_letter(client, teacher_user):
    response = client.post(reverse("password_reset"), {"email": "ivanova@school.example"})

    assert response.status_code == 302
    assert [message.subject for message in mail.outbox] == ["ПОС-портал: смена пароля"]
    assert "Для учётной записи «ivanova»" in mail.outbox[0].body


def test_logout_is_post_only(client, teacher_user):
    client.force_login(teacher_user)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client, teacher_user):
    client.force_login(teacher_user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "right-password", "new_password1": "Nov-parol-2026!", "new_password2": "Nov-parol-2026!"},
    )

    assert response.status_code == 302
    teacher_user.refresh_from_db()
    assert teacher_user.check_password("Nov-parol-2026!")
