"""The release every cache key carries (pos_portal.release): a deploy never serves a page the code before it cached."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_PREFIX
from django.core.cache import caches
from django.urls import reverse

from communities.models import Community
from pos_portal.release import code_release
from tests.factories import CommunityFactory

ROOT = Path(__file__).resolve().parent.parent
LIST_URL = reverse("communities:list")
SESSION_KEY = f"{SESSION_PREFIX}abc"


def project(tmp_path) -> Path:
    (tmp_path / "reports" / "templates").mkdir(parents=True)
    (tmp_path / "reports" / "views.py").write_text("PAGE = 1\n")
    (tmp_path / "reports" / "templates" / "page.html").write_text("<p>{{ page }}</p>\n")
    return tmp_path


def test_the_same_code_gives_the_same_release_and_a_changed_template_a_new_one(tmp_path):
    root = project(tmp_path)
    first = code_release(root)

    assert code_release(root) == first
    assert len(first) == 12
    (root / "reports" / "templates" / "page.html").write_text("<p>Страница {{ page }}</p>\n")
    assert code_release(root) != first


@pytest.mark.parametrize("path", ["tests/test_page.py", ".git/HEAD.txt", "media/upload.txt", "notes.md"])
def test_what_no_page_is_made_by_keeps_the_release(tmp_path, path):
    root = project(tmp_path)
    first = code_release(root)

    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text("что угодно\n")

    assert code_release(root) == first


def release_of(**env):
    environment = {key: value for key, value in os.environ.items() if key != "RELEASE"}
    environment.update(DEBUG="1", **env)
    code = "import pos_portal.settings as s; print(s.RELEASE)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_release_is_the_environments_if_given_else_the_codes():
    assert release_of(RELEASE="2026.12.1") == "2026.12.1"
    assert release_of() == code_release(ROOT)


@pytest.mark.django_db
def test_a_page_cached_under_one_release_is_not_served_under_another(client, methodist, settings):
    community = CommunityFactory(name="ПОС до выпуска")
    client.force_login(methodist)
    settings.RELEASE = "a"
    assert "ПОС до выпуска" in client.get(LIST_URL).content.decode()
    # Around the ORM: no new data version, so only the release can tell the cached list from a fresh one.
    Community.objects.filter(pk=community.pk).update(name="ПОС после выпуска")
    assert "ПОС до выпуска" in client.get(LIST_URL).content.decode()

    settings.RELEASE = "b"

    assert "ПОС после выпуска" in client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_a_session_outlives_a_new_release_and_a_sign_out_ends_it_under_every_release(client, methodist, settings):
    """The sessions' cached rows carry no release: two releases behind one load balancer share them."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(methodist)
    settings.RELEASE = "a"
    assert client.get(LIST_URL).status_code == 200

    settings.RELEASE = "b"
    assert client.get(LIST_URL).status_code == 200
    session_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))

    settings.RELEASE = "a"
    client.cookies["sessionid"] = session_cookie
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_key_but_a_sessions_carries_the_release(settings):
    backend = caches["default"]
    settings.RELEASE = "a"
    under_a = [backend.make_key(key) for key in ("template.cache.dashboard.0", "district:x:0", SESSION_KEY)]
    settings.RELEASE = "b"
    under_b = [backend.make_key(key) for key in ("template.cache.dashboard.0", "district:x:0", SESSION_KEY)]

    assert [a != b for a, b in zip(under_a, under_b, strict=True)] == [True, True, False]
