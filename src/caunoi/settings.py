"""One settings module, driven by environment variables, with safe defaults for embedded mode.

Embedded mode (no DATABASE_URL): SQLite in WAL mode inside CAUNOI_DATA_DIR (default ./var),
a SECRET_KEY generated once and kept there with mode 600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

from caunoi.core.config import ConfigError, database_from_url

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("CAUNOI_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    key: str = env.str("SECRET_KEY", default="")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting together must not both write a key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_prose_editor",  # only its static files: the editor bundle (publishing/editor.js)
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "leaflet",  # Leaflet's static files for the report maps
    "axes",
    "caunoi.core",
    # Demo steps run in this order: articles first, then what builds on them.
    "caunoi.publishing",
    "caunoi.channels",
    "caunoi.metrics",
    "caunoi.feedback",
    "caunoi.open311",
    "caunoi.surveys",
    "caunoi.press",
    "caunoi.training",
    "caunoi.reports",
    "caunoi.staff",
    "caunoi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "caunoi.publishing.pagecache.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "caunoi.core.middleware.BodyLimitMiddleware",
    "caunoi.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caunoi.urls"
WSGI_APPLICATION = "caunoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "caunoi.staff.notifications.unread_count",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default="")
if _database_url:
    try:
        DATABASES = {
            "default": database_from_url(
                _database_url,
                prepared_statements=env.bool("CAUNOI_DB_PREPARED_STATEMENTS", default=True),
            )
        }
    except ConfigError as error:
        raise SystemExit(f"caunoi: {error}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "caunoi.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE avoids
                # "database is locked" on upgrade from a read to a write transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # One connection per web thread, kept: opening SQLite and running the PRAGMAs
            # above on every request cost more than many a page's own queries.
            "CONN_MAX_AGE": None,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
else:
    # One process's memory; room for the pages a portal serves most (the default, 300,
    # evicted a commune's article pages faster than readers came back to them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        }
    }

# --- Tasks --------------------------------------------------------------------------------
TASKS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env.str("CAUNOI_TASK_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

# --- Mail ---------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="caunoi <no-reply@localhost>")
# Where people reach the site; links in e-mails are built on it.
CAUNOI_BASE_URL = env.str("CAUNOI_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Article pages the task worker renders ahead: every article when it changes, and after a
# change to the units tree (which every page names) every published article again, or only
# those published in the last N days if this is set (the others' pages are then dropped).
CAUNOI_PRERENDER_DAYS: int | None = env.int("CAUNOI_PRERENDER_DAYS", default=None)

# --- Citizen reports ----------------------------------------------------------------------
# Working time for deadlines: days of the week (0 = Monday) and hours of each working day.
CAUNOI_WORK_DAYS = [int(d) for d in env.list("CAUNOI_WORK_DAYS", default=["0", "1", "2", "3", "4"])]
CAUNOI_WORK_HOURS = env.list("CAUNOI_WORK_HOURS", default=["07:30-11:30", "13:00-17:00"])
# Which public holidays `caunoi feedback holidays --load` pre-loads (editable afterwards).
CAUNOI_HOLIDAY_CALENDAR = env.str("CAUNOI_HOLIDAY_CALENDAR", default="vn")
CAUNOI_REPORT_ACK_HOURS = env.int("CAUNOI_REPORT_ACK_HOURS", default=8)
CAUNOI_REPORT_URGENT_HOURS = env.int("CAUNOI_REPORT_URGENT_HOURS", default=4)
CAUNOI_REPORT_ANSWER_DAYS = env.int("CAUNOI_REPORT_ANSWER_DAYS", default=10)
CAUNOI_REPORT_ANSWER_DAYS_SEVERAL = env.int("CAUNOI_REPORT_ANSWER_DAYS_SEVERAL", default=15)
CAUNOI_REPORT_REOPEN_DAYS = env.int("CAUNOI_REPORT_REOPEN_DAYS", default=30)
CAUNOI_REPORT_CONTACT_RETENTION_DAYS = env.int("CAUNOI_REPORT_CONTACT_RETENTION_DAYS", default=90)
# Map tiles for the report form and map ({z}/{x}/{y}); empty: no map, address and unit only.
CAUNOI_MAP_TILES = env.str("CAUNOI_MAP_TILES", default="")
CAUNOI_MAP_ATTRIBUTION = env.str("CAUNOI_MAP_ATTRIBUTION", default="")
# Where a map opens when the unit has no area: "latitude,longitude,zoom".
CAUNOI_MAP_CENTER = env.str("CAUNOI_MAP_CENTER", default="16.0,106.0,6")

# --- People -------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

# Lock-out after repeated failures, per username and address.
AXES_FAILURE_LIMIT = env.int("CAUNOI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CAUNOI_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from here after collectstatic, and warns when it is missing.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.str("CAUNOI_MEDIA_DIR", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
# How long a report export (DOCX, XLSX) stays downloadable before its file is deleted.
CAUNOI_REPORT_EXPORT_HOURS = env.int("CAUNOI_REPORT_EXPORT_HOURS", default=24)

# --- Security -----------------------------------------------------------------------------
HTTPS = env.bool("CAUNOI_HTTPS", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env.bool("CAUNOI_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if HTTPS else ["security.W004", "security.W008", "security.W012"]

# --- Abuse limits (caunoi/core/ratelimit.py says how they work) ------------------------------
# "scope=COUNT/SECONDS,..." over the defaults in caunoi.core.ratelimit.DEFAULT_LIMITS.
CAUNOI_RATE_LIMITS = env.str("CAUNOI_RATE_LIMITS", default="")
# Only behind a reverse proxy that sets it (e.g. X-Forwarded-For), else clients could forge it.
CAUNOI_CLIENT_IP_HEADER = env.str("CAUNOI_CLIENT_IP_HEADER", default="")
CAUNOI_TRUSTED_PROXIES = env.int("CAUNOI_TRUSTED_PROXIES", default=1)
# The largest request body taken from anyone not logged in (a report with 5 photos of 8 MB
# fits); staff screens check their own upload limits.
CAUNOI_MAX_BODY_MB = env.int("CAUNOI_MAX_BODY_MB", default=45)

# --- Open311 GeoReport v2 (docs/open311.md) ------------------------------------------------
CAUNOI_OPEN311_MAX_BODY = env.int("CAUNOI_OPEN311_MAX_BODY", default=64 * 1024)  # bytes
CAUNOI_OPEN311_CONTACT = env.str("CAUNOI_OPEN311_CONTACT", default="")
CAUNOI_OPEN311_KEY_SERVICE = env.str(
    "CAUNOI_OPEN311_KEY_SERVICE",
    default="Ask the unit's administrator for a key (caunoi apikey create).",
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if CAUNOI_MAP_TILES:  # the tile server's images must pass the content security policy
    from urllib.parse import urlsplit

    _tiles = urlsplit(CAUNOI_MAP_TILES)
    if _tiles.scheme and _tiles.netloc:
        _origin = f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_origin)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django_tasks": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
