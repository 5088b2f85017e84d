"""Liveness touches nothing; readiness names what fails: database, cache, migrations, disk."""

import shutil

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from jarida.health import checks

# Real commits (the database is pointed elsewhere mid-test); `available_apps` lets
# Django's flush afterwards cascade on PostgreSQL.
ON_DISK = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
DEAD_PORT = 1  # nothing listens on port 1 here: connections are refused at once


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def ready_once(monkeypatch):
    monkeypatch.setattr(checks, "_migrations_ok", False)


@pytest.fixture
def unreachable_database():
    """The default database pointed at a place where no database answers."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    saved_raw = connection.connection
    connection.connection = None  # set aside, not closed (SQLite's in-memory test db)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-jarida-dir/jarida.sqlite3"
    else:
        settings_dict["PORT"] = DEAD_PORT
    yield
    connection.close()
    settings_dict.clear()
    settings_dict.update(saved)
    connection.connection = saved_raw


def test_live_answers_without_touching_database_or_cache(client, settings):
    # No django_db mark: any database access here raises. The cache points at nothing.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/4",
        }
    }
    response = client.get("/health/live", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_ready_reports_every_check_when_all_is_well(client, ready_once):
    response = client.get("/health/ready")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) >= {"database", "migrations", "cache", "tasks", "disk"}
    assert body["checks"]["database"]["vendor"] == connection.vendor
    tasks = body["checks"]["tasks"]
    assert set(tasks) == {"ok", "backend", "ready", "running", "workers", "oldest_ready_seconds"}
    assert (tasks["ok"], tasks["backend"], tasks["workers"]) == (True, "database", 0)
    assert body["checks"]["disk"]["free_mb"] > 0


@pytest.mark.django_db
def test_ready_shows_the_task_queue_depth_without_failing(client, ready_once, make_article):
    article = make_article()
    before = client.get("/health/ready").json()["checks"]["tasks"]["ready"]
    article.save()  # queued for re-indexing, no worker running
    tasks = client.get("/health/ready").json()["checks"]["tasks"]
    assert (tasks["ok"], tasks["ready"] - before, tasks["workers"]) == (True, 1, 0)


@pytest.mark.django_db
def test_probes_pass_whatever_the_host_and_scheme(client, settings, ready_once):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/ready", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the site still checks


@ON_DISK
def test_ready_is_503_with_the_reason_when_the_database_is_unreachable(
    client, unreachable_database, ready_once
):
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is False
    assert "OperationalError" in body["checks"]["database"]["error"]
    assert body["failing"][0].startswith("database: OperationalError")
    assert body["checks"]["disk"]["ok"] is True  # the rest is still reported


def test_ready_is_503_when_redis_is_unreachable(client, settings, monkeypatch):
    monkeypatch.setattr(checks, "database", lambda: checks.Check(True))
    monkeypatch.setattr(checks, "migrations", lambda: checks.Check(True))
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/4",
            # As configured for readers: an outage degrades to misses, never to 500s.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2},
        }
    }
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"] == {
        "ok": False,
        "backend": "RedisCache",
        "error": "a value written was not read back",
    }
    assert body["failing"] == ["cache: a value written was not read back"]


def test_ready_is_503_when_free_disk_falls_under_the_threshold(client, settings, monkeypatch):
    monkeypatch.setattr(checks, "database", lambda: checks.Check(True))
    monkeypatch.setattr(checks, "migrations", lambda: checks.Check(True))
    free_mb = shutil.disk_usage(settings.DATA_DIR).free // 2**20
    settings.JARIDA_HEALTH_MIN_FREE_MB = free_mb + 1024  # more than the disk has free
    response = client.get("/health/ready")
    assert response.status_code == 503
    disk = response.json()["checks"]["disk"]
    assert disk["ok"] is False and disk["min_free_mb"] == free_mb + 1024
    assert "below" in disk["error"]
    settings.JARIDA_HEALTH_MIN_FREE_MB = 1
    assert client.get("/health/ready").status_code == 200


@pytest.mark.django_db
def test_ready_is_503_while_migrations_are_unapplied(client, monkeypatch, ready_once):
    from jarida.core import schema

    monkeypatch.setattr(
        checks, "unapplied_migrations", lambda alias="default": ["articles.0099_new"]
    )
    body = client.get("/health/ready").json()
    assert body["checks"]["migrations"] == {
        "ok": False,
        "error": "1 unapplied",
        "unapplied": ["articles.0099_new"],
    }
    assert schema.unapplied_migrations() == []  # the real test database is up to date
