"""Edge purges: sent after the commit, through the task queue, to the configured backend.

The HTTP PURGE backend and the Cloudflare example are tested against a small real HTTP
server on 127.0.0.1 started by the test (a stand-in for nginx or Cloudflare's API).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jarida.articles import services
from jarida.reader import page_cache
from jarida.reader.purge import CloudflarePurger, purge_edge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Purges run in the test's own thread, whatever queue the site is configured with,
    so what they sent can be checked here (the queue itself has its own tests)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class Receiver:
    """An HTTP server on 127.0.0.1 recording every request; answers `status`."""

    def __init__(self):
        self.requests = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                receiver.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"success": true}')

            do_PURGE = do_POST = do_GET = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def http_purge(settings, receiver):
    settings.JARIDA_EDGE_PURGE = {
        "BACKEND": "jarida.reader.purge.HttpPurger",
        "OPTIONS": {
            "endpoints": [receiver.url],
            "host": "news.example",
            "mode": "both",
            "key_header": "Surrogate-Key",
            "timeout": 5,
        },
    }
    return receiver


def purged_paths(receiver) -> set[str]:
    return {r["path"] for r in receiver.requests if r["method"] == "PURGE"}


def test_publishing_purges_each_page_and_key_after_the_commit(
    http_purge, paper, django_capture_on_commit_callbacks
):
    story = paper["hidden"]["review"]
    politics, water = paper["sections"][0], paper["tag"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.publish_article(story, at=story.published_at)
    assert http_purge.requests == []  # nothing before the commit
    for callback in callbacks:
        callback()
    paths = purged_paths(http_purge)
    expected = {
        "/",
        story.get_absolute_url(),
        politics.get_absolute_url(),
        f"{politics.get_absolute_url()}feed/",
        water.get_absolute_url(),
        paper["reporter"].get_absolute_url(),
        "/feed/",
        "/feed/atom/",
        "/feed/json/",
        "/sitemap.xml",
        "/sitemaps/articles.xml",
        "/sitemap-news.xml",
    }
    assert expected <= paths
    assert paper["sections"][1].get_absolute_url() not in paths  # economy: untouched
    assert all(r["headers"]["Host"] == "news.example" for r in http_purge.requests)
    by_key = [r for r in http_purge.requests if "Surrogate-Key" in r["headers"]]
    keys = set().union(*(r["headers"]["Surrogate-Key"].split() for r in by_key))
    assert {"home", "feeds", "sitemaps", f"article-{story.pk}", f"section-{politics.pk}"} <= keys
    assert f"tag-{water.pk}" in keys and f"writer-{paper['reporter'].pk}" in keys


def test_a_draft_purges_nothing(http_purge, paper, django_capture_on_commit_callbacks):
    draft = paper["hidden"]["draft"]
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "مسودة جديدة"
        services.save_article(draft)
    assert http_purge.requests == []


def test_a_refused_purge_is_logged_and_the_save_stands(
    http_purge, paper, django_capture_on_commit_callbacks, caplog
):
    http_purge.status = 500
    story = paper["published"][1]
    with django_capture_on_commit_callbacks(execute=True):
        story.summary = "موجز جديد"
        services.save_article(story)
    assert http_purge.requests  # it was tried
    assert "edge purge not accepted" in caplog.text
    story.refresh_from_db()
    assert story.summary == "موجز جديد"


def test_an_unreachable_edge_fails_the_task_not_the_request(settings, paper, receiver):
    receiver.close()  # nothing listens there any more
    settings.JARIDA_EDGE_PURGE = {
        "BACKEND": "jarida.reader.purge.HttpPurger",
        "OPTIONS": {"endpoints": [receiver.url], "mode": "keys", "timeout": 2},
    }
    result = purge_edge.enqueue(keys=["home"], urls=[])
    assert result.status == "FAILED"
    assert "PurgeFailed" in result.errors[0].exception_class_path


def test_nginx_404_for_a_page_it_did_not_hold_counts_as_purged(http_purge):
    http_purge.status = 404
    result = purge_edge.enqueue(keys=["home"], urls=[])
    assert result.status == "SUCCESSFUL"
    assert "/" in purged_paths(http_purge)


def test_cloudflare_purges_by_tag_thirty_at_a_time(settings, receiver):
    settings.JARIDA_EDGE_PURGE = {
        "BACKEND": "jarida.reader.purge.CloudflarePurger",
        "OPTIONS": {"zone": "zone123", "token": "t0ken", "api": receiver.url, "timeout": 5},
    }
    keys = [page_cache.article_key(n) for n in range(1, 41)]
    result = purge_edge.enqueue(keys=keys, urls=[])
    assert result.status == "SUCCESSFUL"
    assert [r["path"] for r in receiver.requests] == ["/zones/zone123/purge_cache"] * 2
    assert {r["method"] for r in receiver.requests} == {"POST"}
    assert receiver.requests[0]["headers"]["Authorization"] == "Bearer t0ken"
    sent = [json.loads(r["body"])["tags"] for r in receiver.requests]
    assert [len(tags) for tags in sent] == [CloudflarePurger.TAGS_PER_CALL, 10]
    assert sent[0] + sent[1] == keys


def test_the_default_records_what_it_would_purge(paper, caplog, django_capture_on_commit_callbacks):
    story = paper["published"][0]
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "عنوان آخر"
        services.save_article(story)
    assert "edge purge (recorded, nothing sent)" in caplog.text
    assert f"article-{story.pk}" in caplog.text


def test_purges_are_tasks_of_the_task_queue():
    from django.tasks import Task

    assert isinstance(purge_edge, Task)
