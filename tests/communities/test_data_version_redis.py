"""The reports cache and the sessions on the real Redis (the one the machine runs on 127.0.0.1:6379), as a district
server with several workers runs them: what one worker caches, another reads; a new data version is seen by all.

Where Redis does not answer the tests are skipped with the reason, except under ``REQUIRE_REDIS=1`` (CI), where a
Redis that does not answer is a failure."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from communities.data_version import cache_key, cached
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "KEY_PREFIX": f"pos-test-{uuid.uuid4().hex[:8]}",  # never another run's keys, never flushed
        "KEY_FUNCTION": "pos_portal.release.cache_key",  # the keys production makes: the release in each
    }
}


REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS", "").strip().lower() in {"1", "true", "yes", "on"}


def redis_problem(url: str) -> str | None:
    """Why the Redis at ``url`` cannot serve the tests, or None when it answers PING."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer ({error})"
    return None


@pytest.fixture(autouse=True, scope="module")
def redis_server():
    problem = redis_problem(REDIS["default"]["LOCATION"])
    if problem and REQUIRE_REDIS:
        pytest.fail(f"REQUIRE_REDIS=1: {problem}", pytrace=False)
    if problem:
        pytest.skip(f"{problem} — start redis-server, or run with REQUIRE_REDIS=1 to make this a failure")


@override_settings(CACHES=REDIS)
def test_a_result_cached_by_one_worker_is_read_by_another(django_capture_on_commit_callbacks):
    other_worker = caches.create_connection("default")  # a second client, as in another process
    results = iter(["первый", "второй", "третий"])

    assert cached("redis-test", ("a",), lambda: next(results)) == "первый"
    assert other_worker.get(cache_key("redis-test", "a")) == "первый"
    assert cached("redis-test", ("a",), lambda: next(results)) == "первый"
    with django_capture_on_commit_callbacks(execute=True):
        CommunityFactory()
    assert cached("redis-test", ("a",), lambda: next(results)) == "второй"
    assert other_worker.get(cache_key("redis-test", "a")) == "второй"


@override_settings(CACHES=REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_sessions_in_redis_sign_in_and_out(client, methodist):
    client.force_login(methodist)
    assert client.get(reverse("reports:dashboard")).status_code == 200

    client.post(reverse("logout"))

    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
