"""The scaled-out path talks to real servers: PostgreSQL and Redis on 127.0.0.1.

`make test` deselects the `scaleout` tests on its SQLite pass and runs them on its
PostgreSQL + Redis pass (where a missing server fails the run); a bare `pytest` without
the servers configured skips them with the reason.
"""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from jarida.config import cache_config


@pytest.mark.scaleout
@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL")
@pytest.mark.django_db
def test_database_url_runs_the_suite_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


@pytest.mark.scaleout
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_cache_is_redis_and_shared():
    import redis

    assert settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    cache.set("shared-probe", "قيمة", 30)
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    assert any(b"shared-probe" in key for key in raw.keys("*shared-probe*"))
    assert cache.get("shared-probe") == "قيمة"


def test_redis_outage_degrades_to_cache_misses(tmp_path):
    from django_redis.cache import RedisCache

    config = cache_config("redis://127.0.0.1:1/0", tmp_path)["default"]
    dead = RedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})
    assert dead.get("anything") is None
    dead.set("anything", 1)  # no exception: the page renders from the database
