"""The optional read replica: which requests read from it, and how settings install it."""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from jarida.articles.models import Article
from jarida.config import replica_config
from jarida.core.replica import ReplicaReadsMiddleware, ReplicaRouter


def _routed(request) -> tuple[str, str]:
    """(where a read goes, where a write goes) while the middleware handles `request`."""
    router = ReplicaRouter()
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Article)
        seen["write"] = router.db_for_write(Article)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen["read"], seen["write"]


def test_an_anonymous_readers_get_reads_from_the_replica():
    factory = RequestFactory()
    assert _routed(factory.get("/")) == ("replica", "default")
    assert _routed(factory.head("/")) == ("replica", "default")


def test_sessions_posts_and_code_outside_requests_stay_on_the_primary():
    factory = RequestFactory()
    staff = factory.get("/admin/")
    staff.COOKIES["sessionid"] = "x"
    assert _routed(staff) == ("default", "default")
    assert _routed(factory.post("/api/v1/articles/1/comments")) == ("default", "default")
    # Management commands, tasks and the request's aftermath: the primary.
    assert ReplicaRouter().db_for_read(Article) == "default"
    assert ReplicaRouter().allow_migrate("replica", "articles") is False


def test_replica_alias_mirrors_the_primary_in_tests(tmp_path):
    assert replica_config(None, tmp_path) == {}
    config = replica_config("postgres://reader@replica.internal:5432/news", tmp_path)
    assert config["replica"]["HOST"] == "replica.internal"
    assert config["replica"]["TEST"] == {"MIRROR": "default"}


def _settings(env: dict, expression: str) -> str:
    clean = {"PATH": os.environ["PATH"], "HOME": "/tmp", "SECRET_KEY": "x"} | env
    code = f"import jarida.settings as s; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd="/", capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_settings_install_router_and_middleware_only_with_a_replica(tmp_path):
    expression = (
        "sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []), "
        "'jarida.core.replica.ReplicaReadsMiddleware' in s.MIDDLEWARE"
    )
    base = {"JARIDA_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://p@primary/news"}
    assert _settings(base, expression) == "['default'] [] False"
    with_replica = base | {"DATABASE_REPLICA_URL": "postgres://r@replica/news"}
    assert _settings(with_replica, expression) == (
        "['default', 'replica'] ['jarida.core.replica.ReplicaRouter'] True"
    )
    order = _settings(
        with_replica,
        "s.MIDDLEWARE.index('jarida.core.replica.ReplicaReadsMiddleware')"
        " < s.MIDDLEWARE.index('django.contrib.sessions.middleware.SessionMiddleware')",
    )
    assert order == "True"
