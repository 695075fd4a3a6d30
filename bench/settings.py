"""Settings of the benchmark's server: the portal's own (from the environment, DEBUG off), plus the bench-only
pages of bench/urls.py. Used only by ``make bench`` (DJANGO_SETTINGS_MODULE=bench.settings); the portal's own
URLs (pos_portal.urls) never include those pages."""

from pos_portal.settings import *  # noqa: F403
from pos_portal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]}]
