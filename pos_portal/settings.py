"""Settings of ПОС-портал, read from the environment.

One settings module for every environment. Development defaults are safe: DEBUG is off unless asked
for, and with DEBUG off a SECRET_KEY must be given. A malformed value stops start-up with a clear error.

``DJANGO_ENV=production`` (the default whenever DEBUG is off) is the deployment profile: HTTPS only
(redirect, HSTS, secure cookies), static files served by WhiteNoise from hashed, compressed copies,
media in ``MEDIA_ROOT`` or an S3-compatible bucket. ``manage.py check --deploy --fail-level WARNING``
passes on it (tests/test_deployment.py, CI). See README «Развёртывание» for the variables.
"""

import email.utils
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import CSV, XLSX

from pos_portal.env import env_bool, env_choice, env_fraction, env_int, env_list, env_str
from pos_portal.release import code_release

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# The deployment profile. DEBUG off means production unless DJANGO_ENV says otherwise
# (DJANGO_ENV=development with DEBUG off is a local run without HTTPS, e.g. to try a build).
DJANGO_ENV = env_choice("DJANGO_ENV", ("development", "production"), "development" if DEBUG else "production")
PRODUCTION = DJANGO_ENV == "production"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])

INSTALLED_APPS = [
    "pos_portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "pos_portal.security_apps.AxesConfig",
    "csp",
    "simple_history",
    "django_otp",
    "django_tasks",
    "django_tasks_db",
    "pos_portal.security_apps.OTPTOTPConfig",
    "communities",
    "meetings",
    "reports",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after the security headers, before sessions and the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL character in any parameter (PostgreSQL cannot hold it) or a formset count that is not one: 400.
    "pos_portal.bad_input.RejectBadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in user's pages and downloads: Cache-Control: private, no-store.
    "pos_portal.private_pages.PrivateNoStoreMiddleware",
    # An idle session ends here, before anything else sees its user.
    "pos_portal.sessions.SessionIdleTimeoutMiddleware",
    # The optional second factor: request.user.is_verified(), then the code page until verified.
    "django_otp.middleware.OTPMiddleware",
    "pos_portal.two_factor.OTPRequiredMiddleware",
    # The audit trail records the user of the request with every change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Logs 403s; gives the security log the request of events raised deeper (signings).
    "pos_portal.security_log.SecurityLogMiddleware",
    # Nothing is public by default: views opt out with @login_not_required (login, password reset).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A document too large to lay out in a request (data entered before pos_portal/limits.py): 413, not a 500.
    "reports.pdf.DocumentTooLargeMiddleware",
    # A blank 400/405 answer of a view (require_POST opened by a link) gets the Russian page.
    "pos_portal.blank_errors.BlankErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pos_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.portal_role",
            ],
        },
    },
]

WSGI_APPLICATION = "pos_portal.wsgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
try:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, 0), conn_health_checks=True
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL this portal understands: {exc}") from None
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite (sqlite:///…) or PostgreSQL (postgres://…).")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds what the reports compute over the whole district (the dashboard, the district summary), keyed by
# the data version (communities/data_version.py), so a stale entry is never served. REDIS_URL shares it between the
# workers and the app servers; without it every worker process keeps its own copy in memory. Every key carries the
# release (pos_portal/release.py): a deploy never serves what the code before it cached.
RELEASE = env_str("RELEASE").strip() or code_release(BASE_DIR)
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pos"),
            "KEY_FUNCTION": "pos_portal.release.cache_key",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pos-portal",
            "KEY_FUNCTION": "pos_portal.release.cache_key",
        }
    }
# How long a cached report lives at most: it is replaced at once when the data changes through the portal, the
# admin or a command; this bounds changes made around the ORM (raw SQL, QuerySet.update).
REPORTS_CACHE_SECONDS = env_int("REPORTS_CACHE_SECONDS", 60 * 60, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
# The roster from Excel (communities/admin/roster.py): XLSX and CSV, in and out. The uploaded file waits for the
# confirmation in the media storage (shared by every app server; never served), not in one server's /tmp.
IMPORT_EXPORT_FORMATS = [CSV, XLSX]
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# An import adds teachers and updates the matched ones: it needs the right to change them (as the admin pages do).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# дд.мм.гггг wherever Django formats a date by default (the admin): pos_portal/formats/ru/formats.py.
FORMAT_MODULE_PATH = ["pos_portal.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Where ``manage.py backup_db`` writes its archives.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# Media (regulations, materials, PDFs of signed protocols) are never served by a web server: the
# portal hands them out through permission-checked views. They live in MEDIA_ROOT (on several app
# servers: a shared directory, e.g. NFS), or in an S3-compatible bucket when MEDIA_S3_BUCKET is set.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("MEDIA_S3_PREFIX", "media"),
            "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE") or None,
            # A private bucket: nothing is public, links expire, names are never reused.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": MEDIA_STORAGE,
    # Production serves hashed, gzip/brotli-compressed copies made by collectstatic, cached for a year.
    "staticfiles": {
        "BACKEND": "pos_portal.storage.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- HTTPS and cookies ------------------------------------------------------------------------------------------
# Behind nginx (or a load balancer) that terminates TLS, Django sees plain HTTP: BEHIND_PROXY=1 makes it trust
# the proxy's X-Forwarded-Proto (nginx must set it: ``proxy_set_header X-Forwarded-Proto $scheme;``) and take
# the client address from X-Real-IP for the security log. Never set it when gunicorn is reachable directly:
# a client could then claim HTTPS and any address.
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise to browsers for the whole domain that is hard to take back: the district decides.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# Origins (scheme://host) trusted for POSTs, e.g. https://pos.tutaev.example; needed behind some proxies.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# --- Headers every response carries ---------------------------------------------------------------------------
# No inline script or style anywhere (templates, SVG charts): everything comes from the portal's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"  # for browsers without CSP frame-ancestors
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Sessions live in the database, so any app server behind the load balancer serves any user; with a shared cache
# (REDIS_URL) they are read from it and written through to the database (one query less on every page).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
# A sign-in lasts at most SESSION_COOKIE_AGE (fixed at sign-in) and ends after SESSION_IDLE_TIMEOUT without a
# request (pos_portal/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60, minimum=60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out account before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the teacher profile and the methodist role with the user (communities/backends.py).
    "communities.backends.PortalModelBackend",
]

# Repeated failed logins lock (portal and admin alike, pos_portal/login_throttle.py, for AXES_COOLOFF_TIME): an
# account from one address after AXES_FAILURE_LIMIT failures, an account from anywhere after
# LOGIN_FAILURES_PER_ACCOUNT, an address for every account after LOGIN_FAILURES_PER_ADDRESS. A school's teachers
# share one NAT address: the address limit is far above a staff room's typing errors, and an outsider guessing from
# elsewhere locks only their own pair, not the owner at school.
AXES_HANDLER = "pos_portal.login_throttle.PortalAxesHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 20, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
# Refused attempts while locked are not counted: a locked pair cannot push its account over the account limit, and
# the lock ends AXES_COOLOFF_TIME after the last counted failure.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
SILENCED_SYSTEM_CHECKS = []
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preloading, which is off on purpose (see SECURE_HSTS_PRELOAD above).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The client's address as the security log sees it (X-Real-IP behind nginx, see BEHIND_PROXY).
AXES_CLIENT_IP_CALLABLE = "pos_portal.security_log.client_ip"

# A password reset sends at most PASSWORD_RESETS_PER_EMAIL letters to one e-mail and answers at most
# PASSWORD_RESETS_PER_ADDRESS requests of one address per PASSWORD_RESET_WINDOW seconds (pos_portal/password_reset.py;
# counted in the shared cache). A school's teachers share one address, hence the higher address limit.
PASSWORD_RESETS_PER_EMAIL = env_int("PASSWORD_RESETS_PER_EMAIL", 3, minimum=1)
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 20, minimum=1)
PASSWORD_RESET_WINDOW = env_int("PASSWORD_RESET_WINDOW", 60 * 60, minimum=60)

# The public check of a printed document (reports/views/check.py, /check/<code>/): an address that looked up
# DOCUMENT_CHECK_MISSES codes that do not exist is refused (429) for the rest of DOCUMENT_CHECK_WINDOW seconds, so
# that nobody walks through the codes (counted in the shared cache, pos_portal/rate_limit.py).
DOCUMENT_CHECK_MISSES = env_int("DOCUMENT_CHECK_MISSES", 10, minimum=1)
DOCUMENT_CHECK_WINDOW = env_int("DOCUMENT_CHECK_WINDOW", 60 * 60, minimum=60)

# The optional second factor (pos_portal/two_factor.py): the name authenticator apps show.
OTP_TOTP_ISSUER = "ПОС-портал"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Tasks (Django's Tasks API, django-tasks): at once, in the request's process, unless TASKS_BACKEND names a queue:
# "django_tasks_db.DatabaseBackend" (one server, `manage.py db_worker`) or "django_tasks_rq.RQBackend" (Redis).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# The portal's address as people open it (links in mail and calendars), and the domain of calendar UIDs.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
CALENDAR_UID_DOMAIN = env_str("CALENDAR_UID_DOMAIN", "pos-portal")
# A meeting with a start time lasts this long in calendars (the portal records no end time).
MEETING_DURATION_MINUTES = env_int("MEETING_DURATION_MINUTES", 90, minimum=1)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Mail to members, leaders and methodists (notifications/): sent from the ИОЦ's address, one task per letter.
# Unset: the portal's address under the ИОЦ's name, so a letter always says who writes.
NOTIFICATIONS_FROM_EMAIL = env_str(
    "NOTIFICATIONS_FROM_EMAIL", f"ИОЦ ТМР — ПОС-портал <{email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1]}>"
)
# «Срок поручения через N дней»: the daily job writes this many days before an assignment's deadline.
NOTIFY_DEADLINE_DAYS = env_int("NOTIFY_DEADLINE_DAYS", 3, minimum=1)
# A letter that could not be sent is tried again this many times in all, after 1, 2, 4… × the base delay.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5, minimum=1)
NOTIFICATIONS_RETRY_SECONDS = env_int("NOTIFICATIONS_RETRY_SECONDS", 60, minimum=1)
# A worker that took a letter and died (killed, out of memory) leaves it taken: after this long another may take it.
NOTIFICATIONS_CLAIM_SECONDS = env_int("NOTIFICATIONS_CLAIM_SECONDS", 300, minimum=1)

# Regulation 4.2: a community meets at least this many times per academic year.
MIN_MEETINGS_PER_YEAR = env_int("MIN_MEETINGS_PER_YEAR", 4, minimum=1)

# A protocol is drawn up no later than this many days after its meeting; a held meeting whose protocol is not
# signed after that is «протокол просрочен» (meetings.models.meetings.MeetingQuerySet.protocol_late).
PROTOCOL_DUE_DAYS = env_int("PROTOCOL_DUE_DAYS", 5, minimum=0)

# Quorum of a meeting: more than this share of the members on the meeting date are present (0.5: «more than half»;
# 2/3 is written as 2/3). Below it a protocol is still signed, and records and prints that quorum was not reached
# (meetings.models.protocols.protocol_quorum, the only read).
PROTOCOL_QUORUM = env_fraction("PROTOCOL_QUORUM", Fraction(1, 2))

# Where the signed protocol's original is kept: an extract says «Подлинник протокола хранится в …» (and where the
# annexed list of those present is), reports.protocol_pdf.extract_context.
PROTOCOL_ORIGINAL_KEPT_AT = env_str("PROTOCOL_ORIGINAL_KEPT_AT").strip() or "делах ПОС"

# Upload limit for regulation files and (later) materials, in bytes.
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 20 * 1024 * 1024, minimum=1024)

# --- Logs ---------------------------------------------------------------------------------------------------------
# Everything to stderr (systemd's journal; gunicorn passes it on), nothing in local files unless asked for: the
# security log (pos_portal/security_log.py) may go to SECURITY_LOG_FILE instead (logrotate-friendly).
SECURITY_LOG_FILE = env_str("SECURITY_LOG_FILE")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        "security": {"()": "pos_portal.security_log.SecurityFormatter"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "security": (
            {"class": "logging.handlers.WatchedFileHandler", "filename": SECURITY_LOG_FILE, "formatter": "security"}
            if SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "security"}
        ),
    },
    "loggers": {
        # Server errors (500) and refused hosts reach the journal in production, not only ADMINS' mailboxes.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "pos.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
