"""Settings fail loudly on bad values; tested in a fresh interpreter, as at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "MIN_MEETINGS_PER_YEAR"}
    }
    environment.update(env)
    code = (
        "import pos_portal.settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.MIN_MEETINGS_PER_YEAR, s.ALLOWED_HOSTS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_development_defaults_to_sqlite():
    result = load_settings(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["True", "django.db.backends.sqlite3", "4"]


def test_database_url_switches_to_postgresql():
    result = load_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@db.example:5432/pos", ALLOWED_HOSTS="pos.example"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "4", "['pos.example']"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "MIN_MEETINGS_PER_YEAR": "four"}, "MIN_MEETINGS_PER_YEAR='four' is not a whole number."),
        ({"DEBUG": "1", "MIN_MEETINGS_PER_YEAR": "0"}, "MIN_MEETINGS_PER_YEAR=0 is below the minimum of 1."),
        ({"DEBUG": "1", "PROTOCOL_DUE_DAYS": "-1"}, "PROTOCOL_DUE_DAYS=-1 is below the minimum of 0."),
        ({"DEBUG": "1", "PROTOCOL_QUORUM": "половина"}, "PROTOCOL_QUORUM='половина' is not a share"),
        ({"DEBUG": "1", "PROTOCOL_QUORUM": "1"}, "PROTOCOL_QUORUM='1' must be at least 0 and less than 1."),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://root@localhost/pos"}, "DATABASE_URL must point to SQLite"),
        ({"DEBUG": "1", "DATABASE_URL": "nonsense"}, "DATABASE_URL is not a database URL"),
    ],
)
def test_bad_values_stop_start_up_with_a_clear_error(env, message):
    result = load_settings(**env)

    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(("raw", "share"), [(None, "1/2"), ("0,5", "1/2"), ("2/3", "2/3"), ("0", "0")])
def test_the_quorum_is_a_share_written_as_a_decimal_or_a_fraction(raw, share):
    environment = {key: value for key, value in os.environ.items() if key != "PROTOCOL_QUORUM"}
    environment.update(DEBUG="1", **({"PROTOCOL_QUORUM": raw} if raw is not None else {}))
    code = "import pos_portal.settings as s; print(s.PROTOCOL_QUORUM)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == share


def cache_settings(**env):
    environment = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    environment.update(DEBUG="1", **env)
    code = "import pos_portal.settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_without_redis_the_cache_is_per_process_and_sessions_stay_in_the_database():
    result = cache_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_redis_url_shares_the_cache_and_reads_sessions_from_it():
    result = cache_settings(REDIS_URL="redis://127.0.0.1:6379/1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_a_redis_url_of_another_scheme_stops_start_up():
    result = cache_settings(REDIS_URL="http://127.0.0.1:6379")

    assert result.returncode != 0
    assert "REDIS_URL must start with redis://, rediss:// or unix://." in result.stderr


def test_manage_py_names_a_settings_error_instead_of_failing_later():
    """Without DEBUG or SECRET_KEY Django would run the command's checks unconfigured and fail in whichever check
    comes first ("Models aren't loaded yet"); manage.py says what is wrong."""
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "Настройки не загружены: SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert "AppRegistryNotReady" not in result.stderr
