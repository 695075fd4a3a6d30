"""Failed sign-ins lock the pair (account, address), an account tried from many addresses, and an address that
sprays many accounts (pos_portal/login_throttle.py); each lockout is in the security log."""

import io
import logging

import pytest
from django.urls import reverse

from pos_portal.security_log import SecurityFormatter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCHOOL = "10.0.4.17"
OUTSIDER = "203.0.113.9"


@pytest.fixture
def owner():
    return UserFactory(username="department", password="right-password", is_staff=True, is_superuser=True)


@pytest.fixture
def security_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SecurityFormatter())
    logger = logging.getLogger("pos.security")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def login(client, username, password, address):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def read_locked(client, address):
    return login(client, "anyone", "any-password", address).content.decode()


def signed_in(response):
    """Redirected to where the account lands after signing in: the portal's home, or the admin for the Department."""
    return response.status_code == 302 and response.url in (reverse("home"), reverse("admin:index"))


def test_spraying_many_accounts_from_one_address_is_throttled(client, settings, security_log):
    teachers = [UserFactory(username=f"teacher{number:02}", password="right-password") for number in range(40)]
    answers = [login(client, teacher.username, "Qwerty123", SCHOOL).status_code for teacher in teachers]

    # Each account was tried once: only the address count can lock.
    assert answers[: settings.LOGIN_FAILURES_PER_ADDRESS - 1] == [200] * (settings.LOGIN_FAILURES_PER_ADDRESS - 1)
    assert set(answers[settings.LOGIN_FAILURES_PER_ADDRESS :]) == {429}
    assert "С вашего адреса в сети было слишком много неудачных попыток" in read_locked(client, SCHOOL)
    # Locked is locked: even the right password of an untouched account is refused from that address...
    assert not signed_in(login(client, teachers[-1].username, "right-password", SCHOOL))
    # ...and nowhere else.
    assert signed_in(login(client, teachers[-1].username, "right-password", OUTSIDER))
    assert 'event=lockout user="teacher29"' in security_log.getvalue()
    assert 'by="address"' in security_log.getvalue()


def test_a_school_address_stays_open_below_the_address_limit(client, settings):
    UserFactory(username="ivanova", password="right-password")
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS - 1):
        login(client, f"colleague{number}", "mistyped", SCHOOL)

    assert signed_in(login(client, "ivanova", "right-password", SCHOOL))


def test_an_outsider_cannot_lock_the_owner_out_of_their_address(client, owner, settings, security_log):
    # The outsider keeps trying, well past the pair's limit, from one address.
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT + 5):
        login(client, "department", "guess", OUTSIDER)

    refused = login(client, "department", "right-password", OUTSIDER)
    assert refused.status_code == 429
    assert "Слишком много неудачных попыток входа в эту учётную запись" in refused.content.decode()
    assert signed_in(login(client, "department", "right-password", SCHOOL))
    log = security_log.getvalue()
    assert f'event=lockout user="department" ip={OUTSIDER}' in log
    assert 'by="account_address"' in log
    assert f'event=lockout user="department" ip={SCHOOL}' not in log


def test_an_account_tried_from_many_addresses_is_locked_everywhere(client, owner, settings, security_log):
    # The documented limit: an outsider with enough addresses does lock the account for the window.
    per_address = settings.AXES_FAILURE_LIMIT - 1
    addresses = [f"198.51.100.{number}" for number in range(settings.LOGIN_FAILURES_PER_ACCOUNT // per_address + 1)]
    for address in addresses:
        for _ in range(per_address):
            login(client, "department", "guess", address)

    assert not signed_in(login(client, "department", "right-password", SCHOOL))
    assert 'by="account"' in security_log.getvalue()


def test_signing_in_clears_only_ones_own_failures(client, settings):
    UserFactory(username="ivanova", password="right-password")
    for number in range(settings.LOGIN_FAILURES_PER_ADDRESS - 1):
        login(client, f"sprayed{number}", "Qwerty123", SCHOOL)
    assert signed_in(login(client, "ivanova", "right-password", SCHOOL))

    # The spray from that address is not forgotten because someone there signed in.
    assert login(client, "sprayed-next", "Qwerty123", SCHOOL).status_code == 429
