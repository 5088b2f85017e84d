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


def cache_config(redis_url: str | None, data_dir: Path) -> dict:
    """A cache every worker process shares: Redis when given, else files in the data dir."""
    if redis_url:
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "jarida",
            # A Redis outage degrades to cache misses instead of 500s.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    return {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": data_dir / "cache",
        "KEY_PREFIX": "jarida",
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
    }
