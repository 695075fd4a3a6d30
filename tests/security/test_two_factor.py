"""The optional second factor (TOTP) of methodists and administrators: enrolment, the code at sign-in (the admin
included), turning it off; codes generated as an authenticator app would."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.pages import csp_of, inline_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
HOME = reverse("home")
SETUP = reverse("two_factor")
VERIFY = reverse("two_factor_verify")


def code(device, steps_ahead=0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def methodist_login(methodist):
    methodist.set_password("right-password")
    methodist.save()
    return methodist


def sign_in(username, password="right-password"):  # noqa: S107
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302
    return client, response


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="телефон", confirmed=True)


def test_enrolment_with_the_qr_code(client, methodist):
    client.force_login(methodist)

    assert "Второй фактор не подключён" in client.get(SETUP).content.decode()
    assert client.post(reverse("two_factor_start")).status_code == 302
    page = client.get(SETUP)

    device = TOTPDevice.objects.get(user=methodist)
    assert not device.confirmed
    html = page.content.decode()
    assert '<svg width="' in html and "<path d=" in html  # the QR code, drawn by the server
    assert inline_code(html) == []
    assert csp_of(page)["img-src"] == "'self' data:"
    assert device.config_url.replace("&", "&amp;") in html
    response = client.post(SETUP, {"token": code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Второй фактор подключён" in client.get(SETUP).content.decode()


def test_a_wrong_code_does_not_confirm(client, methodist):
    client.force_login(methodist)
    client.post(reverse("two_factor_start"))
    device = TOTPDevice.objects.get(user=methodist)

    response = client.post(SETUP, {"token": "000000" if code(device) != "000000" else "111111"})

    assert response.status_code == 200
    assert "Код неверный или устарел" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_teachers_do_not_enrol(client, leader):
    client.force_login(leader.user)

    assert client.get(SETUP).status_code == 403
    assert client.post(reverse("two_factor_start")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_a_user_with_a_device_must_enter_the_code(methodist_login):
    device = enrolled(methodist_login)
    client, response = sign_in("metodist")

    assert response.url == HOME
    for url in (HOME, reverse("communities:list"), reverse("admin:index")):
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked.url == f"{VERIFY}?next={url}"

    page = client.get(VERIFY)
    assert page.status_code == 200
    assert inline_code(page.content.decode()) == []
    response = client.post(VERIFY, {"token": code(device), "next": reverse("communities:list")})

    assert response.status_code == 302
    assert response.url == reverse("communities:list")
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_keeps_the_door_shut(methodist_login):
    device = enrolled(methodist_login)
    client, _response = sign_in("metodist")

    response = client.post(VERIFY, {"token": code(device, steps_ahead=10)})

    assert response.status_code == 200
    assert "Код неверный или устарел" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_a_code_is_not_accepted_twice(methodist_login):
    device = enrolled(methodist_login)
    first, _response = sign_in("metodist")
    token = code(device)
    assert first.post(VERIFY, {"token": token}).status_code == 302

    second, _response = sign_in("metodist")
    response = second.post(VERIFY, {"token": token})

    assert response.status_code == 200
    assert second.get(HOME).status_code == 302


def test_the_admin_asks_for_the_code_of_an_administrator_with_a_device(admin_user):
    admin_user.set_password("right-password")
    admin_user.save()
    device = enrolled(admin_user)
    client = Client()

    response = client.post(reverse("admin:login"), {"username": admin_user.username, "password": "right-password"})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).url.startswith(VERIFY)

    client.post(VERIFY, {"token": code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_without_a_device_the_password_is_enough(methodist_login):
    client, _response = sign_in("metodist")

    assert client.get(HOME).status_code == 200
    assert client.get(VERIFY).status_code == 302


def test_the_next_address_stays_on_the_portal(methodist_login):
    device = enrolled(methodist_login)
    client, _response = sign_in("metodist")

    response = client.post(VERIFY, {"token": code(device), "next": "https://evil.example/"})

    assert response.url == HOME


def test_turning_it_off_needs_a_current_code(methodist_login):
    device = enrolled(methodist_login)
    client, _response = sign_in("metodist")
    client.post(VERIFY, {"token": code(device)})

    client.post(reverse("two_factor_disable"), {"token": "12345"})
    assert TOTPDevice.objects.filter(user=methodist_login).exists()

    client.post(reverse("two_factor_disable"), {"token": code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=methodist_login).exists()
    fresh, _response = sign_in("metodist")
    assert fresh.get(HOME).status_code == 200
