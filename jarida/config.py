"""Turn deployment environment variables into Django settings dicts (pure functions).

Kept apart from settings.py so tests can check each mapping without re-importing settings.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url


def database_config(database_url: str | None, data_dir: Path) -> dict:
    """PostgreSQL (or any dj-database-url URL) when given, else SQLite in WAL mode."""
    if database_url:
        config = dj_database_url.parse(database_url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"].endswith("postgresql"):
            # An unreachable server fails a request (and /health/ready) in seconds, not minutes.
            config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "jarida.sqlite3",
        # Kept open between requests like PostgreSQL's: opening costs the PRAGMAs below, and
        # closing the last connection to a WAL database checkpoints it (about 2 ms a request
        # for nothing; benchmarks/page_cpu.py).
        "CONN_MAX_AGE": 60,
        "OPTIONS": {
            # WAL lets readers work while a writer commits; IMMEDIATE avoids
            # "database is locked" on lock upgrades under concurrent writers.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


def replica_config(replica_url: str | None, data_dir: Path) -> dict:
    """The `replica` database alias for DATABASE_REPLICA_URL, or nothing.

    In tests the alias mirrors `default` (same connection settings, no test database of
    its own), as a replica mirrors its primary.
    """
    if not replica_url:
        return {}
    config = database_config(replica_url, data_dir)
    config["TEST"] = {"MIRROR": "default"}
    return {"replica": config}


def media_storage(bucket: str, endpoint: str = "", domain: str = "") -> dict:
    """STORAGES["default"]: the data directory's media folder, or an S3-compatible bucket.

    With a bucket every app server reads and writes the same pictures (django-storages;
    credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile or an instance
    role). Objects are public-read through `domain` (a CDN or the bucket's own host): page
    URLs carry no expiring signature, so cached pages stay valid.
    """
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "querystring_auth": False,
        # An upload never replaces another picture of the same name.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=604800"},
    }
    if endpoint:
        options["endpoint_url"] = endpoint
    if domain:
        options["custom_domain"] = domain
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin(bucket: str, endpoint: str = "", domain: str = "") -> str:
    """Where pictures are fetched from when they live in a bucket (for the page's CSP)."""
    if not bucket:
        return ""
    if domain:
        return f"https://{domain}"
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{bucket}.s3.amazonaws.com"


#: The cache aliases and what each holds. Page entries are many and disposable; the
#: rate-limit counters and the small shared keys (site settings, the menu, the page-cache
#: generation) must never be pushed out by them, so each kind has its own alias and limit.
CACHE_ALIASES = {
    # alias: (file cache folder, MAX_ENTRIES, Redis key prefix)
    "default": ("cache/shared", 1_000, "jarida"),
    "pages": ("cache/pages", 5_000, "jarida-pages"),
    # One version per surrogate key (jarida/reader/page_cache.py): small, many, and each
    # one lost only makes the pages showing it miss once. Not on the pages' Redis, whose
    # eviction policy may drop them at will.
    "page-versions": ("cache/page-versions", 50_000, "jarida-page-versions"),
    "ratelimit": ("cache/ratelimit", 20_000, "jarida-ratelimit"),
    # Page views waiting to be written, and each reader's hourly "already counted" mark
    # (jarida/readership): many small keys that must not push out the shared ones.
    "readership": ("cache/readership", 50_000, "jarida-readership"),
}


def cache_config(
    redis_url: str | None,
    data_dir: Path,
    pages_redis_url: str | None = None,
    redis_timeout: float = 0.5,
) -> dict:
    """CACHES for every worker process to share: Redis when given, else files in the data dir.

    `pages_redis_url` lets the page cache live on a Redis of its own (with an eviction
    policy), away from the counters; it defaults to `redis_url`.
    """
    caches = {}
    for alias, (folder, max_entries, prefix) in CACHE_ALIASES.items():
        url = (pages_redis_url or redis_url) if alias == "pages" else redis_url
        if url:
            caches[alias] = {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
                # A Redis outage degrades to cache misses instead of 500s.
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    # Redis answers in a millisecond on a LAN: half a second is an outage,
                    # and the circuit breaker then stops asking for a few seconds.
                    "SOCKET_CONNECT_TIMEOUT": redis_timeout,
                    "SOCKET_TIMEOUT": redis_timeout,
                    "REDIS_CLIENT_CLASS": "jarida.core.redis.CircuitBreakerRedis",
                },
            }
        else:
            caches[alias] = {
                "BACKEND": "jarida.core.cache.ExpiringFileCache",
                "LOCATION": data_dir / folder,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 3},
            }
    return caches


#: JARIDA_TASKS_BACKEND: where `django.tasks` tasks go (docs/tasks.md).
TASK_BACKENDS = {
    # A queue table in the site's own database (SQLite or PostgreSQL), run by
    # `manage.py task_worker` processes: durable, no extra service.
    "database": "django_tasks_db.DatabaseBackend",
    # In the request that enqueues, after its transaction commits: no worker at all.
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}


def tasks_config(backend: str) -> dict:
    """TASKS for django.tasks from a short name (or a dotted backend path)."""
    path = TASK_BACKENDS.get(backend or "database", backend)
    if "." not in path:
        raise ValueError(
            f"JARIDA_TASKS_BACKEND={backend!r}: expected one of {', '.join(TASK_BACKENDS)}"
        )
    return {"default": {"BACKEND": path, "QUEUES": []}}


PURGE_BACKENDS = {
    "record": "jarida.reader.purge.RecordingPurger",
    "http": "jarida.reader.purge.HttpPurger",
    "cloudflare": "jarida.reader.purge.CloudflarePurger",
}


def edge_purge_config(environ) -> dict:
    """JARIDA_EDGE_PURGE from the environment: a BACKEND (a short name or a dotted path)
    and the OPTIONS that backend reads."""
    name = environ.get("JARIDA_PURGE_BACKEND", "") or "record"
    endpoints = environ.get("JARIDA_PURGE_ENDPOINTS", "")
    return {
        "BACKEND": PURGE_BACKENDS.get(name, name),
        "OPTIONS": {
            # http: every nginx/Varnish in front, e.g. "http://10.0.0.5:80,http://10.0.0.6:80".
            "endpoints": [e.strip() for e in endpoints.split(",") if e.strip()],
            # The Host header purges are sent with (the site's public name).
            "host": environ.get("JARIDA_PURGE_HOST", ""),
            # "urls", "keys" or "both": PURGE each page's URL, or one PURGE naming the keys.
            "mode": environ.get("JARIDA_PURGE_MODE", "urls"),
            "key_header": environ.get("JARIDA_PURGE_KEY_HEADER", "Surrogate-Key"),
            "timeout": float(environ.get("JARIDA_PURGE_TIMEOUT", "5")),
            # cloudflare: the zone and an API token allowed "Cache Purge" on it.
            "zone": environ.get("JARIDA_CLOUDFLARE_ZONE", ""),
            "token": environ.get("JARIDA_CLOUDFLARE_TOKEN", ""),
            "api": environ.get("JARIDA_CLOUDFLARE_API", "https://api.cloudflare.com/client/v4"),
        },
    }


def https_settings(enabled: bool) -> dict:
    """Settings for deployments behind HTTPS: secure cookies, redirect, HSTS."""
    if not enabled:
        return {}
    return {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        # Consent to browsers' HSTS preload list (nothing is submitted by sending it).
        "SECURE_HSTS_PRELOAD": True,
    }
