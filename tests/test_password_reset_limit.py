"""A flood of password-reset requests sends no flood of letters, and the answer never tells whether an e-mail
exists or is limited (pos_portal/password_reset.py)."""

import pytest
import redis
from django.core import mail
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.communities.test_data_version_redis import REDIS, redis_problem
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCHOOL = "10.0.4.17"


@pytest.fixture
def teacher():
    return UserFactory(username="ivanova", password="right-password", email="ivanova@school.example")


def request_reset(client, email, address=SCHOOL):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def answer(response):
    return response.status_code, response.get("Location")


def test_twenty_requests_send_at_most_the_limit_of_letters(client, teacher, settings):
    # From twenty addresses, so that only the e-mail's limit can hold.
    answers = {answer(request_reset(client, "ivanova@school.example", f"10.0.5.{number}")) for number in range(20)}

    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL
    assert answers == {(302, reverse("password_reset_done"))}


def test_the_e_mail_limit_ignores_case_and_spaces(client, teacher, settings):
    for number in range(settings.PASSWORD_RESETS_PER_EMAIL):
        request_reset(client, "ivanova@school.example", f"10.0.5.{number}")

    request_reset(client, "  IVANOVA@School.Example ", "10.0.6.1")

    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL


def test_one_address_cannot_mail_the_whole_district(client, settings):
    teachers = [UserFactory(email=f"teacher{number}@school.example") for number in range(25)]
    for teacher in teachers:
        request_reset(client, teacher.email)

    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_ADDRESS
    # Another address is not held back by that one.
    request_reset(client, teachers[-1].email, "10.0.9.9")
    assert mail.outbox[-1].to == [teachers[-1].email]


def test_the_answer_is_the_same_for_an_unknown_e_mail_and_when_limited(client, teacher, settings):
    known = answer(request_reset(client, "ivanova@school.example"))
    unknown = answer(request_reset(client, "nobody@school.example"))
    for _ in range(settings.PASSWORD_RESETS_PER_EMAIL):
        request_reset(client, "ivanova@school.example")
    limited = answer(request_reset(client, "ivanova@school.example"))

    assert known == unknown == limited == (302, reverse("password_reset_done"))
    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL


def test_a_limited_request_is_in_the_security_log(client, teacher, settings, caplog):
    for _ in range(settings.PASSWORD_RESETS_PER_EMAIL + 1):
        request_reset(client, "ivanova@school.example")

    assert [r for r in caplog.records if r.name == "pos.security" and "event=password_reset_limited" in r.message]


def test_the_limit_holds_on_redis_across_workers(client, teacher, settings):
    # The production cache: what one worker counted, another sees (every request here gets a fresh client).
    problem = redis_problem(REDIS["default"]["LOCATION"])
    if problem:
        pytest.skip(problem)
    with override_settings(CACHES=REDIS):
        for number in range(settings.PASSWORD_RESETS_PER_EMAIL + 2):
            caches["default"] = caches.create_connection("default")  # as in another worker process
            request_reset(client, "ivanova@school.example", f"10.0.5.{number}")

    assert len(mail.outbox) == settings.PASSWORD_RESETS_PER_EMAIL
    counted = redis.Redis.from_url(REDIS["default"]["LOCATION"]).keys(f"{REDIS['default']['KEY_PREFIX']}:*rate_limit*")
    assert counted
