"""Sessions: an absolute lifetime and an idle timeout; a password change or a deactivated account ends the user's
other sessions; Django's password validators are on."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")
LOGIN = reverse("login")


class Clock:
    """timezone.now(), moved by hand (sessions, their expiry and the idle clock all read it)."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def teacher_user():
    return UserFactory(username="ivanova", password="right-password")


def signed_in_client(username="ivanova", password="right-password"):  # noqa: S107
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, "sign-in failed"
    return client


def is_signed_in(client) -> bool:
    response = client.get(HOME)
    if response.status_code == 302:
        assert response.url.startswith(LOGIN)
        return False
    assert response.status_code == 200
    return True


def test_defaults():
    assert django_settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert django_settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_an_idle_session_ends(clock, teacher_user):
    client = signed_in_client()

    clock.advance(minutes=29)
    assert is_signed_in(client)
    clock.advance(minutes=31)
    response = client.get(reverse("communities:list"))

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?idle=1&next={reverse('communities:list')}"
    assert not is_signed_in(client)
    assert "Сеанс завершён: вы долго не работали" in client.get(response.url).content.decode()


def test_activity_keeps_a_session(clock, teacher_user):
    client = signed_in_client()

    for _ in range(6):
        clock.advance(minutes=20)
        assert is_signed_in(client)


def test_the_lifetime_is_absolute(clock, teacher_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 24 * 60 * 60  # only the lifetime is tested here
    client = signed_in_client()
    expires = Session.objects.get().expire_date

    clock.advance(hours=11)
    assert is_signed_in(client)  # a busy session...
    assert Session.objects.get().expire_date == expires  # ...does not move its end
    clock.advance(hours=1, minutes=1)

    assert not is_signed_in(client)
    assert expires == clock.now - dt.timedelta(minutes=1)  # signed in 12 h 1 min ago


def test_a_password_change_ends_the_other_sessions(teacher_user):
    laptop = signed_in_client()
    phone = signed_in_client()

    response = laptop.post(
        reverse("password_change"),
        {"old_password": "right-password", "new_password1": "Nov-parol-2026!", "new_password2": "Nov-parol-2026!"},
    )

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)


def test_a_deactivated_account_ends_its_sessions(teacher_user):
    client = signed_in_client()
    assert is_signed_in(client)

    teacher_user.is_active = False
    teacher_user.save()

    assert not is_signed_in(client)
    assert Client().post(LOGIN, {"username": "ivanova", "password": "right-password"}).status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "Введённый пароль слишком короткий"),
        ("12345678901", "Введённый пароль состоит только из цифр"),
        ("password123", "Введённый пароль слишком широко распространён"),
        ("ivanova2026", "Введённый пароль слишком похож на имя пользователя"),
    ],
)
def test_password_validators_are_on(client, teacher_user, password, message):
    client.force_login(teacher_user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "right-password", "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(password_validation.get_default_password_validators()) == 4
