"""The security log: sign-ins, failed sign-ins, lock-outs, 403s and signings, one line each, with user, UTC time
and client address; no input can forge a line."""

import datetime as dt
import io
import logging
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pos_portal.security_log import SecurityFormatter, client_ip, quote
from tests.conftest import build_protocol
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r'^(?P<level>[A-Z]+) pos\.security time=(?P<time>\S+Z) event=(?P<event>\w+) user=(?P<user>"(?:[^"\\]|\\.)*") '
    r"ip=(?P<ip>\S+)(?P<rest>.*)$"
)


@pytest.fixture
def security_log():
    """What the security log writes, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SecurityFormatter())
    logger = logging.getLogger("pos.security")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def lines(stream):
    return stream.getvalue().splitlines()


def parsed(stream):
    result = []
    for line in lines(stream):
        match = LINE.match(line)
        assert match, line
        result.append(match.groupdict())
    return result


@pytest.fixture
def teacher_user():
    return UserFactory(username="ivanova", password="right-password")


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_login_is_logged_with_user_utc_time_and_address(client, teacher_user, security_log):
    login(client, "ivanova", "right-password")

    [entry] = parsed(security_log)
    assert (entry["level"], entry["event"], entry["user"], entry["ip"]) == ("INFO", "login", '"ivanova"', "127.0.0.1")
    logged_at = dt.datetime.strptime(entry["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - logged_at) < dt.timedelta(seconds=30)


def test_a_failed_login_is_logged_with_the_name_tried(client, teacher_user, security_log):
    login(client, "ivanova", "wrong")

    [entry] = parsed(security_log)
    assert (entry["level"], entry["event"], entry["user"]) == ("WARNING", "login_failed", '"ivanova"')
    assert "wrong" not in security_log.getvalue()


def test_a_forged_line_in_the_username_stays_one_line(client, security_log):
    forged = 'evil\nINFO pos.security time=2026-01-01T00:00:00.000Z event=login user="department" ip=10.0.0.1'

    login(client, forged, "whatever")

    assert len(lines(security_log)) == 1
    [entry] = parsed(security_log)
    assert entry["event"] == "login_failed"
    assert entry["user"] == (
        r'"evil\nINFO pos.security time=2026-01-01T00:00:00.000Z event=login user=\"department\" ip=10.0.0.1"'
    )


@pytest.mark.parametrize(
    "character", ["\r", "\n", "\x0b", "\x0c", "\x1c", "\x1b", "\x85", "\u2028", "\u2029", "\x7f"], ids=ascii
)
def test_no_control_character_reaches_the_log(client, security_log, character):
    login(client, f"a{character}b", "whatever")

    output = security_log.getvalue()
    assert len(output.splitlines()) == 1
    assert output.endswith("\n")
    assert character not in output[:-1]


def test_a_backslash_cannot_fake_an_escape():
    assert quote('a\\"b') == r'"a\\\"b"'
    assert quote("a\\nb") == r'"a\\nb"'


def test_the_formatter_escapes_any_message():
    record = logging.LogRecord("pos.security", logging.INFO, __file__, 1, "line one\nline two", None, None)

    assert SecurityFormatter().format(record) == r"INFO pos.security line one\nline two"


def test_a_lockout_is_logged(client, teacher_user, settings, security_log):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ivanova", "wrong")

    events = [entry["event"] for entry in parsed(security_log)]
    assert events.count("login_failed") == settings.AXES_FAILURE_LIMIT
    assert "lockout" in events


def test_a_403_is_logged(client, community, member, security_log):
    client.force_login(member.user)
    security_log.truncate(0)
    security_log.seek(0)
    url = reverse("communities:member_add", args=[community.pk])

    assert client.get(url).status_code == 403

    [entry] = parsed(security_log)
    assert (entry["level"], entry["event"], entry["user"]) == ("WARNING", "forbidden", '"member"')
    assert f'path="{url}"' in entry["rest"]


def test_a_csrf_refusal_is_logged(community, leader, security_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader.user)

    assert client.post(reverse("communities:plan_copy", args=[community.pk])).status_code == 403

    assert [entry["event"] for entry in parsed(security_log)][-1] == "forbidden"


def test_a_signing_is_logged_once_committed(
    client, community, leader, member, security_log, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    protocol = build_protocol(community, leader, [leader, member])
    client.force_login(leader.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:sign", args=[protocol.meeting_id]))

    assert response.status_code == 302
    [entry] = [entry for entry in parsed(security_log) if entry["event"] == "protocol_signed"]
    assert (entry["user"], entry["ip"]) == ('"leader"', "127.0.0.1")
    assert f'protocol="{protocol.pk}" number="{protocol.number}" community="{community.pk}"' in entry["rest"]
    assert 'signed_by="Смирнова О.В."' in entry["rest"]


def test_a_refused_signing_is_not_logged_as_signed(
    client, community, leader, member, security_log, django_capture_on_commit_callbacks
):
    meeting = build_protocol(community, leader, [leader, member]).meeting
    meeting.attendance.update(present=False)  # nobody present: the protocol cannot be signed
    client.force_login(leader.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:sign", args=[meeting.pk]))

    assert "protocol_signed" not in security_log.getvalue()


class FakeRequest:
    def __init__(self, **meta):
        self.META = meta


def test_the_client_address_behind_the_proxy(settings):
    settings.BEHIND_PROXY = True

    assert client_ip(FakeRequest(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.4.17")) == "10.0.4.17"
    assert client_ip(FakeRequest(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.4.18")) == "10.0.4.18"
    assert client_ip(FakeRequest(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.0.0.1\nfake")) is None


def test_forwarded_headers_are_ignored_without_the_proxy(settings):
    settings.BEHIND_PROXY = False

    assert client_ip(FakeRequest(REMOTE_ADDR="192.0.2.5", HTTP_X_REAL_IP="10.0.4.17")) == "192.0.2.5"


def test_a_password_change_is_logged(client, teacher_user, security_log, django_capture_on_commit_callbacks):
    client.force_login(teacher_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_change"),
            {"old_password": "right-password", "new_password1": "Nov0e-slozhnoe", "new_password2": "Nov0e-slozhnoe"},
        )

    assert response.status_code == 302
    [entry] = [entry for entry in parsed(security_log) if entry["event"] == "password_changed"]
    assert (entry["user"], entry["ip"]) == ('"ivanova"', "127.0.0.1")
    assert 'account="ivanova"' in entry["rest"]


def test_a_password_reset_is_logged(client, teacher_user, security_log, django_capture_on_commit_callbacks):
    teacher_user.email = "ivanova@example.org"
    teacher_user.save()
    uid = urlsafe_base64_encode(force_bytes(teacher_user.pk))
    token = default_token_generator.make_token(teacher_user)
    form_url = client.get(reverse("password_reset_confirm", args=[uid, token])).url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {"new_password1": "Nov0e-slozhnoe", "new_password2": "Nov0e-slozhnoe"})

    assert response.status_code == 302
    [entry] = [entry for entry in parsed(security_log) if entry["event"] == "password_changed"]
    assert entry["user"] == '"-"'
    assert 'account="ivanova"' in entry["rest"]
