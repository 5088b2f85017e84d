"""Turn deployment environment variables into Django settings dicts (pure functions).

Kept apart from settings.py so tests can check each mapping without re-importing settings.
"""

from pathlib import Path

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
        "OPTIONS": {
            # WAL lets readers work while a writer commits; IMMEDIATE avoids
            # "database is locked" on lock upgrades under concurrent writers.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }


#: The cache aliases and what each holds. Page entries are many and disposable; the
#: rate-limit counters and the small shared keys (site settings, the menu, the page-cache
#: generation) must never be pushed out by them, so each kind has its own alias and limit.
CACHE_ALIASES = {
    # alias: (file cache folder, MAX_ENTRIES, Redis key prefix)
    "default": ("cache/shared", 1_000, "jarida"),
    "pages": ("cache/pages", 5_000, "jarida-pages"),
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
