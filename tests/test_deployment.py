"""The production profile, as a district server runs it: in a fresh interpreter with a production environment.

``manage.py check --deploy --fail-level WARNING`` finds nothing; the HTTPS, cookie, HSTS, proxy and storage settings
follow the environment; collectstatic builds WhiteNoise's hashed, compressed files; gunicorn serves the portal
behind a (simulated) nginx with the security headers and redirects plain HTTP to HTTPS.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Each test starts the portal in fresh interpreters (check --deploy, collectstatic, migrate, gunicorn): slow.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTAL_VARIABLES = {
    "DEBUG",
    "DJANGO_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_PROXY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MEDIA_S3_BUCKET",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT",
}


def production_env(tmp_path, **overrides):
    environment = {key: value for key, value in os.environ.items() if key not in PORTAL_VARIABLES}
    environment.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),  # 67 random characters
        ALLOWED_HOSTS="pos.example.ru",
        CSRF_TRUSTED_ORIGINS="https://pos.example.ru",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    environment.update(overrides)
    return {key: value for key, value in environment.items() if value is not None}


def run(args, env, timeout=120):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=timeout)


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], env)


def settings_of(env, *names):
    code = f"import pos_portal.settings as s\nfor name in {list(names)!r}:\n    print(repr(eval(name, vars(s))))"
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    return dict(zip(names, result.stdout.splitlines(), strict=True))


def test_check_deploy_passes_on_the_production_profile(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "warning"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"ALLOWED_HOSTS": ""}, "security.W020"),
        ({"SECRET_KEY": "short"}, "security.W009"),
    ],
)
def test_check_deploy_fails_when_a_protection_is_removed(tmp_path, override, warning):
    result = manage(production_env(tmp_path, **override), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode != 0
    assert warning in result.stderr


def test_production_profile_settings(tmp_path):
    values = settings_of(
        production_env(tmp_path),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_ENGINE",
        "STORAGES['staticfiles']['BACKEND']",
        "STORAGES['default']['BACKEND']",
        "globals().get('SECURE_PROXY_SSL_HEADER')",
    )

    assert values == {
        "DEBUG": "False",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "False",
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "CSRF_TRUSTED_ORIGINS": "['https://pos.example.ru']",
        "SESSION_ENGINE": "'django.contrib.sessions.backends.db'",
        "STORAGES['staticfiles']['BACKEND']": "'pos_portal.storage.StaticFilesStorage'",
        "STORAGES['default']['BACKEND']": "'django.core.files.storage.FileSystemStorage'",
        "globals().get('SECURE_PROXY_SSL_HEADER')": "None",
    }


def test_environment_tunes_hsts_and_the_proxy_header(tmp_path):
    env = production_env(
        tmp_path, SECURE_HSTS_SECONDS="3600", SECURE_HSTS_PRELOAD="1", BEHIND_PROXY="1", SECURE_SSL_REDIRECT="0"
    )

    values = settings_of(
        env, "SECURE_HSTS_SECONDS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT"
    )

    assert values == {
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_PRELOAD": "True",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
        "SECURE_SSL_REDIRECT": "False",
    }


def test_development_profile_is_plain(tmp_path):
    env = production_env(tmp_path, DJANGO_ENV=None, DEBUG="1", SECRET_KEY=None)

    values = settings_of(env, "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS")

    assert values == {"SECURE_SSL_REDIRECT": "False", "SESSION_COOKIE_SECURE": "False", "SECURE_HSTS_SECONDS": "0"}


def test_debug_is_refused_in_production(tmp_path):
    result = run([sys.executable, "-c", "import pos_portal.settings"], production_env(tmp_path, DEBUG="1"))

    assert result.returncode != 0
    assert "DEBUG must be off when DJANGO_ENV=production." in result.stderr


def test_media_go_to_s3_when_a_bucket_is_set(tmp_path):
    env = production_env(
        tmp_path,
        MEDIA_S3_BUCKET="pos-media",
        MEDIA_S3_ENDPOINT_URL="https://storage.yandexcloud.net",
        MEDIA_S3_REGION="ru-central1",
    )

    values = settings_of(env, "STORAGES['default']['BACKEND']", "STORAGES['default']['OPTIONS']")

    assert values["STORAGES['default']['BACKEND']"] == "'storages.backends.s3.S3Storage'"
    options = values["STORAGES['default']['OPTIONS']"]
    assert "'bucket_name': 'pos-media'" in options
    assert "'endpoint_url': 'https://storage.yandexcloud.net'" in options
    assert "'default_acl': 'private'" in options
    assert "'file_overwrite': False" in options


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "pos.example.ru", **(headers or {})})
        response = connection.getresponse()
        return response.status, {key.lower(): value for key, value in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture
def gunicorn_server(tmp_path):
    """The production profile behind a (simulated) nginx: collectstatic, migrate, then gunicorn on a free port."""
    port = _free_port()
    env = production_env(tmp_path, BEHIND_PROXY="1", GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    for command in (["collectstatic", "--noinput"], ["migrate", "--noinput"]):
        result = manage(env, *command)
        assert result.returncode == 0, result.stderr
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/accounts/login/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode()) from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def test_gunicorn_serves_the_production_profile(gunicorn_server):
    port = gunicorn_server
    https = {"X-Forwarded-Proto": "https"}

    # Plain HTTP goes to HTTPS.
    status, headers, _body = _get(port, "/accounts/login/")
    assert status == 301
    assert headers["location"] == "https://pos.example.ru/accounts/login/"

    # Through the TLS-terminating proxy: the page, with every security header and secure cookies.
    status, headers, body = _get(port, "/accounts/login/", https)
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "Secure" in headers["set-cookie"]

    # Static files by WhiteNoise: hashed names, compressed, cached for good.
    css = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', body)
    assert css, body[:2000]
    status, headers, _body = _get(port, css.group(1).decode(), {**https, "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert "immutable" in headers["cache-control"]


def test_gunicorn_config_loads_the_application(tmp_path):
    result = run([str(BIN / "gunicorn"), "--check-config", "-c", "gunicorn.conf.py"], production_env(tmp_path))

    assert result.returncode == 0, result.stderr


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None)

    result = run([str(BIN / "gunicorn"), "--check-config", "-c", "gunicorn.conf.py"], env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_app_servers_keep_no_state_of_their_own(tmp_path):
    """Several app servers behind one load balancer: sessions, sign-in lock-outs and second-factor devices are in the
    database, media in MEDIA_ROOT (a shared folder) or S3, logs on stderr. Without REDIS_URL each server caches
    reports in its own memory, keyed by the data version in the database, so no server serves another's stale data."""
    values = settings_of(
        production_env(tmp_path, MEDIA_S3_BUCKET="pos-media"),
        "SESSION_ENGINE",
        "globals().get('AXES_HANDLER', 'axes.handlers.database.AxesDatabaseHandler')",
        "STORAGES['default']['BACKEND']",
        "[h.get('class') for h in LOGGING['handlers'].values()]",
        "'pos_portal.security_apps.OTPTOTPConfig' in INSTALLED_APPS",
        "CACHES['default']['BACKEND']",
    )

    assert values == {
        "SESSION_ENGINE": "'django.contrib.sessions.backends.db'",
        # The database handler of django-axes, with the portal's limits (pos_portal/login_throttle.py).
        "globals().get('AXES_HANDLER', 'axes.handlers.database.AxesDatabaseHandler')": (
            "'pos_portal.login_throttle.PortalAxesHandler'"
        ),
        "STORAGES['default']['BACKEND']": "'storages.backends.s3.S3Storage'",
        "[h.get('class') for h in LOGGING['handlers'].values()]": "['logging.StreamHandler', 'logging.StreamHandler']",
        "'pos_portal.security_apps.OTPTOTPConfig' in INSTALLED_APPS": "True",
        "CACHES['default']['BACKEND']": "'django.core.cache.backends.locmem.LocMemCache'",
    }
