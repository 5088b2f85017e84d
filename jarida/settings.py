"""Jarida settings: every deployment choice is an environment variable with a default.

See README.md, "Configuration", for the list. Nothing here writes files: the secret key
is generated into the data directory by `python -m jarida.datadir` (part of `make setup`).
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from jarida.backups.retention import Policy
from jarida.config import (
    cache_config,
    database_config,
    edge_purge_config,
    https_settings,
    media_origin,
    media_storage,
    replica_config,
    tasks_config,
)
from jarida.monitoring.logs import logging_config
from jarida.paths import BASE_DIR, SECRET_KEY_FILE_NAME, data_dir
from jarida.reader.head_script import CSP_HASH as HEAD_SCRIPT_HASH


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = data_dir()


def read_secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = DATA_DIR / SECRET_KEY_FILE_NAME
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No SECRET_KEY in the environment and no {key_file}. "
            "Run `make setup` (or `python -m jarida.datadir`) to generate one."
        ) from None


SECRET_KEY = read_secret_key()
DEBUG = env_bool("JARIDA_DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prose_editor",
    "reversion",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jarida.core",
    "jarida.accounts",
    "jarida.media",
    "jarida.articles",
    "jarida.search",
    "jarida.api",
    "jarida.comments",
    "jarida.desk",
    "jarida.feeds",
    "jarida.importers",
    "jarida.reader",
    "jarida.related",
    "jarida.readership",
    "jarida.sponsorship",
    "jarida.supplements",
    "jarida.pages",
    "jarida.demo",
    "jarida.backups",
    "jarida.health",
    "jarida.monitoring",
    "jarida.tasks",
]

MIDDLEWARE = [
    # Request id, one log line and the latency metric for every request, probes included.
    "jarida.monitoring.middleware.RequestMiddleware",
    # Liveness and readiness answer before host checks, HTTPS redirects and sessions.
    "jarida.health.middleware.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "jarida.core.middleware.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Fresh cached pages for anonymous readers, answered before sessions and routing; the
    # headers above still apply to them (jarida/reader/page_cache.py).
    "jarida.reader.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two factors and login lifetimes (jarida/accounts/middleware.py): after the user is known.
    "django_otp.middleware.OTPMiddleware",
    "jarida.accounts.middleware.StaffLoginMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jarida.importers.middleware.LegacyPermalinkMiddleware",
    "jarida.core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one account, or from
# one address, further attempts are refused without checking the password until the
# cool-off ends (django-axes, counted in the database so every worker sees them).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Request bodies: forms and JSON up to Django's 2.5 MB, multipart uploads (pictures in the
# back office, at most JARIDA_IMAGE_MAX_BYTES each) up to this; more answers 413.
JARIDA_MAX_UPLOAD_BYTES = int(os.environ.get("JARIDA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))

# Staff log in to the back office; an unsafe or missing `next` lands there too.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jarida.comments.limits.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False

# Two-factor authentication (django-otp: an authenticator app's TOTP codes plus printed
# backup codes). Accounts in these roles (and superusers) must enrol before they reach the
# back office when JARIDA_2FA_REQUIRED is on, which it is by default under HTTPS; anyone
# may enrol on the embedded default, and whoever has enrolled is always asked for a code.
JARIDA_2FA_REQUIRED = env_bool("JARIDA_2FA_REQUIRED", default=env_bool("JARIDA_HTTPS"))
JARIDA_2FA_ROLES = ["محرر", "مدير الموقع"]
OTP_TOTP_ISSUER = os.environ.get("JARIDA_2FA_ISSUER", "Jarida")

# How long a back-office login lasts, counted from the password (hours), per role: the
# shortest of the roles a person holds applies; superusers count as site managers.
# Readers never log in and get no session at all.
JARIDA_SESSION_HOURS = {
    "مدير الموقع": float(os.environ.get("JARIDA_SESSION_HOURS_SITE_MANAGER", "4")),
    "محرر": float(os.environ.get("JARIDA_SESSION_HOURS_EDITOR", "8")),
}
JARIDA_SESSION_HOURS_STAFF = float(os.environ.get("JARIDA_SESSION_HOURS_STAFF", "12"))
SESSION_COOKIE_AGE = int(max(JARIDA_SESSION_HOURS_STAFF, *JARIDA_SESSION_HOURS.values()) * 3600)

ROOT_URLCONF = "jarida.urls"
WSGI_APPLICATION = "jarida.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jarida.core.context_processors.site_settings",
                "jarida.reader.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode in the data directory unless DATABASE_URL names another.
DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"), DATA_DIR)}
# Optional PostgreSQL read replica: anonymous readers' GETs read from it, everything else
# (staff, writes, POSTs) uses the primary (jarida/core/replica.py).
DATABASES |= replica_config(os.environ.get("DATABASE_REPLICA_URL"), DATA_DIR)
if "replica" in DATABASES:
    DATABASE_ROUTERS = ["jarida.core.replica.ReplicaRouter"]
    # After the page cache would have answered, before any view reads the database.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "jarida.core.replica.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches shared by every worker process: Redis when REDIS_URL is set, else files; pages,
# rate-limit counters and the rest in separate aliases (jarida/config.py, CACHE_ALIASES).
CACHES = cache_config(
    os.environ.get("REDIS_URL"),
    DATA_DIR,
    os.environ.get("JARIDA_PAGE_CACHE_REDIS_URL"),
    float(os.environ.get("JARIDA_REDIS_TIMEOUT", "0.5")),
)

# Whole-page cache for anonymous readers (seconds; 0 turns it off). See reader/page_cache.py.
JARIDA_PAGE_CACHE_SECONDS = int(os.environ.get("JARIDA_PAGE_CACHE_SECONDS", "300"))
# How long past its freshness (or past a change) a stored page may still be served to the
# other readers while one request rebuilds it.
JARIDA_PAGE_CACHE_STALE_SECONDS = int(os.environ.get("JARIDA_PAGE_CACHE_STALE_SECONDS", "600"))

# The edge (nginx, Varnish, a CDN) in front: purges after every visible change go through
# the task queue to this backend (jarida/reader/purge.py; docs/caching.md). "record" (the
# default) only logs and counts what it would purge; "http" sends PURGE requests to each
# of JARIDA_PURGE_ENDPOINTS; "cloudflare" calls Cloudflare's purge-by-tag API; or a
# dotted path to a class of your own.
JARIDA_EDGE_PURGE = edge_purge_config(os.environ)
# s-maxage: how long the edge may keep an anonymous page. Long only when purges reach it.
JARIDA_EDGE_MAX_AGE = int(
    os.environ.get(
        "JARIDA_EDGE_MAX_AGE",
        "60" if JARIDA_EDGE_PURGE["BACKEND"].endswith("RecordingPurger") else "3600",
    )
)
# stale-while-revalidate: the edge answers with its copy while it asks for a new one.
JARIDA_EDGE_STALE_SECONDS = int(os.environ.get("JARIDA_EDGE_STALE_SECONDS", "30"))

# Background tasks (django.tasks; docs/tasks.md): "database" (default: a queue table in
# the site's database, run by `manage.py task_worker`, which `make run` starts) or
# "immediate" (in the request, after commit; no worker).
JARIDA_TASKS_BACKEND = os.environ.get("JARIDA_TASKS_BACKEND", "database")
TASKS = tasks_config(JARIDA_TASKS_BACKEND)
# A worker beats every HEARTBEAT seconds; one silent for STALE seconds is taken for dead
# and its running task goes back to the queue (at-least-once delivery).
JARIDA_TASKS_HEARTBEAT_SECONDS = float(os.environ.get("JARIDA_TASKS_HEARTBEAT_SECONDS", "5"))
JARIDA_TASKS_STALE_SECONDS = float(os.environ.get("JARIDA_TASKS_STALE_SECONDS", "30"))
# Finished task rows are kept this many days (then pruned by a periodic task).
JARIDA_TASKS_KEEP_DAYS = int(os.environ.get("JARIDA_TASKS_KEEP_DAYS", "7"))
# Periodic tasks: name -> (task, seconds between runs; 0 turns it off). Workers (or a
# `manage.py task_scheduler`) enqueue each once when due, whatever their number.
JARIDA_TASKS_SCHEDULE = {
    "fetch_wire_feeds": (
        "jarida.desk.tasks.fetch_wire_feeds",
        60 * int(os.environ.get("JARIDA_WIRE_FETCH_MINUTES", "10")),
    ),
    "prune_task_results": ("jarida.tasks.tasks.prune_task_results", 24 * 60 * 60),
    # Page views and ad impressions wait in the cache; each minute they are written.
    "flush_readership": ("jarida.readership.tasks.flush_views", 60),
    "flush_sponsorship": ("jarida.sponsorship.tasks.flush_sponsorship", 60),
}

# Related stories (jarida/related): how many a page shows, and their excerpts' length.
JARIDA_RELATED_COUNT = int(os.environ.get("JARIDA_RELATED_COUNT", "4"))
JARIDA_RELATED_EXCERPT_CHARS = int(os.environ.get("JARIDA_RELATED_EXCERPT_CHARS", "310"))

# Most read (jarida/readership): page views are buffered in the cache and written by
# `manage.py flush_readership` (run it every minute or so); the salt keys the hourly
# reader fingerprint (IP + user agent), so no cookie and no stored address is needed.
JARIDA_READERSHIP_SALT = os.environ.get("JARIDA_READERSHIP_SALT", "") or SECRET_KEY
JARIDA_READERSHIP_BLOCK_SIZE = int(os.environ.get("JARIDA_READERSHIP_BLOCK_SIZE", "5"))

# Supplements (jarida/supplements): the largest PDF an issue may have, and the block's size.
JARIDA_SUPPLEMENT_MAX_BYTES = int(os.environ.get("JARIDA_SUPPLEMENT_MAX_BYTES", 50 * 1024 * 1024))
JARIDA_SUPPLEMENTS_BLOCK_SIZE = int(os.environ.get("JARIDA_SUPPLEMENTS_BLOCK_SIZE", "4"))

# Search backend; empty means "follow the database" (FTS5 on SQLite, PostgreSQL FTS).
JARIDA_SEARCH_BACKEND = os.environ.get("JARIDA_SEARCH_BACKEND", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Arabic first: one language, right-to-left, the seed paper's time zone by default.
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", "العربية")]
TIME_ZONE = os.environ.get("JARIDA_TIME_ZONE", "Asia/Baghdad")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "jarida" / "locale"]
# Day-first Arabic dates in the back office, like the reader site (jarida/core/formats).
FORMAT_MODULE_PATH = ["jarida.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # Uploaded pictures: <data dir>/media, or an S3-compatible bucket shared by every app
    # server (JARIDA_MEDIA_S3_BUCKET; docs/operations.md, "Production layout").
    "default": media_storage(
        os.environ.get("JARIDA_MEDIA_S3_BUCKET", ""),
        os.environ.get("JARIDA_MEDIA_S3_ENDPOINT", ""),
        os.environ.get("JARIDA_MEDIA_S3_DOMAIN", ""),
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ORIGIN = media_origin(
    os.environ.get("JARIDA_MEDIA_S3_BUCKET", ""),
    os.environ.get("JARIDA_MEDIA_S3_ENDPOINT", ""),
    os.environ.get("JARIDA_MEDIA_S3_DOMAIN", ""),
)
# Without a CDN or nginx in front, Django serves uploaded media itself.
JARIDA_SERVE_MEDIA = env_bool("JARIDA_SERVE_MEDIA", default=True)

# HTTPS deployments: secure cookies, redirect, HSTS. Off for `make run` (plain HTTP).
JARIDA_HTTPS = env_bool("JARIDA_HTTPS")
globals().update(https_settings(JARIDA_HTTPS))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # The reader pages' head script by its hash (jarida/reader/head_script.py).
    "script-src": [CSP.SELF, CSP.NONCE, HEAD_SCRIPT_HASH],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:", *filter(None, [MEDIA_ORIGIN])],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Reader comments. Editorial choices (moderation, default name, banned words…) are
# SiteSettings in the database; these are the abuse defences' knobs.
# Without a token the comment post lands on a confirmation page instead of a bare 403.
CSRF_FAILURE_VIEW = "jarida.comments.views.csrf_failure"
COMMENTS_MIN_FILL_SECONDS = 3
COMMENTS_RATE_PER_IP = "5/10m"
COMMENTS_RATE_PER_EMAIL = "5/10m"
COMMENTS_DUPLICATE_WINDOW = 24 * 60 * 60
# django-ratelimit: the reader's address as jarida.comments.limits works it out; a cache
# outage lets comments through (moderation still stands) instead of refusing them all.
RATELIMIT_IP_META_KEY = "jarida.comments.limits.client_ip"
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True
# Proxies in front of the app that append to X-Forwarded-For (nginx: 1; CDN + nginx: 2).
JARIDA_PROXY_COUNT = int(os.environ.get("JARIDA_PROXY_COUNT", "0"))

# Importers and wire ingest. Outbound fetches refuse private, loopback and reserved
# addresses unless this is on (tests serving feeds on 127.0.0.1; a wire service on a LAN).
JARIDA_WIRE_ALLOW_PRIVATE = env_bool("JARIDA_WIRE_ALLOW_PRIVATE")
# Hosts import_wxr may fetch featured images from (comma-separated); none by default.
JARIDA_IMPORT_MEDIA_HOSTS = env_list("JARIDA_IMPORT_MEDIA_HOSTS", "")
# Gzipped imports stop (decompression bombs) past this many times their compressed size
# (text exports are 3-15x) or past this many bytes in all (10 GB: twenty years of a paper).
JARIDA_IMPORT_MAX_RATIO = float(os.environ.get("JARIDA_IMPORT_MAX_RATIO", "100"))
JARIDA_IMPORT_MAX_BYTES = int(os.environ.get("JARIDA_IMPORT_MAX_BYTES", str(10 * 10**9)))
# One NDJSON line (one article) longer than this is reported and skipped, never held whole.
JARIDA_IMPORT_MAX_LINE = int(os.environ.get("JARIDA_IMPORT_MAX_LINE", str(16 * 2**20)))
# Every outbound fetch (wire feeds, imported images) ends within this many seconds, however
# slowly the server drips its answer; fetch_wire_feeds's runs cannot pile up.
JARIDA_FETCH_TOTAL_TIMEOUT = float(os.environ.get("JARIDA_FETCH_TOTAL_TIMEOUT", "60"))
# A whole fetch_wire_feeds run (all feeds) ends within this: under the 5-minute schedule.
JARIDA_WIRE_RUN_TIMEOUT = float(os.environ.get("JARIDA_WIRE_RUN_TIMEOUT", "240"))

# Backups (`manage.py backup`): where archives go and how many of them are kept. Put
# JARIDA_BACKUP_DIR on another disk (or copy it off the machine): see docs/operations.md.
JARIDA_BACKUP_DIR = Path(os.environ.get("JARIDA_BACKUP_DIR") or DATA_DIR / "backups")
# A copy of every backup in S3-compatible storage (jarida/backups/offsite.py); off unless set.
JARIDA_BACKUP_S3_URL = os.environ.get("JARIDA_BACKUP_S3_URL", "")
JARIDA_BACKUP_S3_ENDPOINT = os.environ.get("JARIDA_BACKUP_S3_ENDPOINT", "")
JARIDA_BACKUP_RETENTION = Policy(
    daily=int(os.environ.get("JARIDA_BACKUP_KEEP_DAILY", "7")),
    weekly=int(os.environ.get("JARIDA_BACKUP_KEEP_WEEKLY", "4")),
    monthly=int(os.environ.get("JARIDA_BACKUP_KEEP_MONTHLY", "6")),
)

# Readiness (`/health/ready`) fails when the data directory's disk has less free space.
JARIDA_HEALTH_MIN_FREE_MB = int(os.environ.get("JARIDA_HEALTH_MIN_FREE_MB", "1024"))

# Logs: readable lines by default, one JSON object a line with JARIDA_LOG_FORMAT=json; the
# same failure repeated within JARIDA_LOG_DEDUP_SECONDS is logged once with a count.
LOGGING = logging_config(
    os.environ.get("JARIDA_LOG_FORMAT", "text"),
    os.environ.get("JARIDA_LOG_LEVEL", "INFO"),
    float(os.environ.get("JARIDA_LOG_DEDUP_SECONDS", "60")),
)

# Optional error reporting (jarida/monitoring/errors.py): off unless a DSN is given.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")

# /metrics (Prometheus): this bearer token, or a staff login when it is unset.
JARIDA_METRICS_TOKEN = os.environ.get("JARIDA_METRICS_TOKEN", "")
