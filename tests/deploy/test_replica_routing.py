"""The read replica router with real app servers on PostgreSQL (the scaled-out pass).

A replica is stood in for by a connection that can only read
(`default_transaction_read_only`), as a streaming standby is; a missing replica proves
which requests read from it.
"""

import json
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]


def _status(url: str, data: dict | None = None) -> int:
    body = json.dumps(data).encode() if data else None
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def server_with_replica(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a read replica is a PostgreSQL feature")
    primary = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    started = []

    def start(replica_url: str) -> str:
        env = harness.site_env(
            tmp_path, primary, DATABASE_REPLICA_URL=replica_url, JARIDA_PAGE_CACHE_SECONDS=0
        )
        env["SECRET_KEY"] = "tests-only-not-secret"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        started.append(harness.app_server("granian", port, env, workers=1, threads=2))
        return f"http://127.0.0.1:{port}"

    yield primary, start
    for process in started:
        harness.stop(process)


def test_readers_read_from_the_replica_and_writes_go_to_the_primary(
    server_with_replica, make_article
):
    primary, start = server_with_replica
    article = make_article()
    base = start(primary + "?options=-c%20default_transaction_read_only%3Don")
    for path in ("/", article.get_absolute_url(), "/feed/", "/api/v1/articles"):
        assert _status(base + path) == 200, path
    comment = {"text": "تعليق يكتب في الأساسية", "name": "قارئ", "email": "r@example.org"}
    assert _status(f"{base}/api/v1/articles/{article.pk}/comments", comment) == 201


def test_without_the_replica_readers_pages_fail_and_writes_still_work(
    server_with_replica, make_article
):
    primary, start = server_with_replica
    article = make_article()
    base = start(primary.rsplit("/", 1)[0] + "/no_such_replica_database")
    assert _status(base + article.get_absolute_url()) == 503  # read from the replica
    comment = {"text": "تعليق يصل رغم غياب النسخة", "name": "قارئ", "email": "s@example.org"}
    assert _status(f"{base}/api/v1/articles/{article.pk}/comments", comment) == 201
