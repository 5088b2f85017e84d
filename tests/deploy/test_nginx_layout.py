"""The deploy/ nginx configuration, run for real in front of the app (skipped without nginx).

nginx runs from a temporary prefix on a free port with deploy/nginx rewritten for it
(benchmarks/harness.py), never as the machine's nginx.
"""

import http.server
import shutil
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
# The live server's thread reads what the test wrote: committed rows (as the backups do).
ON_DISK = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def nginx_in_front(live_server, settings):
    """nginx (policy "micro") in front of the live server, with the app's page cache on."""
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    app_port = int(live_server.url.rsplit(":", 1)[1])
    nginx = harness.Nginx(free_port(), [app_port], Path(settings.DATA_DIR)).start()
    yield f"http://127.0.0.1:{nginx.port}"
    nginx.stop()


def test_the_shipped_configuration_passes_nginx_t(tmp_path):
    for policy in ("micro", "app"):
        nginx = harness.Nginx(free_port(), [8000], tmp_path, policy)
        try:
            checked = nginx.test_config()
            assert checked.returncode == 0, checked.stderr
        finally:
            nginx.stop()


@ON_DISK
def test_anonymous_pages_come_from_the_micro_cache_sessions_never(make_article, nginx_in_front):
    article = make_article()
    first = get(nginx_in_front + article.get_absolute_url())
    second = get(nginx_in_front + article.get_absolute_url())
    assert first[0] == second[0] == 200
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "HIT")
    assert second[2] == first[2]
    staff = get(nginx_in_front + article.get_absolute_url(), {"Cookie": "sessionid=abc"})
    assert staff[1]["X-Cache"] == "BYPASS"


class HeadersApp(http.server.BaseHTTPRequestHandler):
    """Answers 200 with the Cache-Control named by the path (/none: no header at all)."""

    POLICIES = {
        "/public": "public, max-age=60",
        "/private": "private, max-age=60",
        "/no-store": "public, no-store",
        "/no-cache": "public, no-cache",
        "/due-now": "public, max-age=0",
        "/none": None,
    }

    def do_GET(self):
        body = b"<p>page</p>"
        self.send_response(200)
        if policy := self.POLICIES[self.path]:
            self.send_header("Cache-Control", policy)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_only_what_the_app_marks_public_is_stored(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HeadersApp)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    nginx = harness.Nginx(free_port(), [upstream.server_port], tmp_path).start(probe=None)
    try:
        base = f"http://127.0.0.1:{nginx.port}"
        second = {}
        for path in HeadersApp.POLICIES:
            get(base + path)
            second[path] = get(base + path)[1]["X-Cache"]
        assert second == {
            "/public": "HIT",
            "/private": "MISS",
            "/no-store": "MISS",
            "/no-cache": "MISS",
            "/due-now": "MISS",
            "/none": "MISS",
        }
    finally:
        nginx.stop()
        upstream.shutdown()


@ON_DISK
def test_a_published_story_shows_through_nginx_within_two_seconds(make_article, nginx_in_front):
    make_article()
    for _ in range(2):  # the home page now sits in the app's cache and in nginx's
        home = get(nginx_in_front + "/")
    assert home[1]["X-Cache"] == "HIT"
    make_article(title="نبأ عاجل من الطبقة الأمامية")
    published = time.monotonic()
    while "نبأ عاجل من الطبقة الأمامية" not in get(nginx_in_front + "/")[2].decode():
        assert time.monotonic() - published < 2, "not on the home page through nginx in 2 s"
        time.sleep(0.05)


@ON_DISK
def test_static_files_and_media_are_served_from_disk(nginx_in_front):
    data = Path(settings.DATA_DIR)
    (data / "static" / "reader").mkdir(parents=True, exist_ok=True)
    (data / "static" / "reader" / "site.0123456789ab.css").write_text("body{}")
    (data / "media").mkdir(exist_ok=True)
    (data / "media" / "hostile.svg").write_text("<svg><script>alert(1)</script></svg>")
    status, headers, body = get(nginx_in_front + "/static/reader/site.0123456789ab.css")
    assert (status, body) == (200, b"body{}")
    assert "immutable" in headers["Cache-Control"]
    assert "X-Request-ID" not in headers  # nginx answered, not the app
    status, headers, _ = get(nginx_in_front + "/media/hostile.svg")
    assert status == 200
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]


class FlakyApp(http.server.BaseHTTPRequestHandler):
    """A public page once, then 503 (a database outage), to see what nginx serves."""

    calls = 0

    def do_GET(self):
        FlakyApp.calls += 1
        ok = FlakyApp.calls == 1
        body = b"<p>the page</p>" if ok else b"<p>503</p>"
        self.send_response(200 if ok else 503)
        self.send_header("Cache-Control", "public, max-age=60" if ok else "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_last_good_page_is_served_while_the_app_fails(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyApp)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    FlakyApp.calls = 0
    nginx = harness.Nginx(free_port(), [upstream.server_port], tmp_path).start(probe=None)
    try:
        base = f"http://127.0.0.1:{nginx.port}"
        assert get(base + "/page")[:1] == (200,)
        time.sleep(2.1)  # past the micro-cache's second (nginx counts whole seconds)
        status, headers, body = get(base + "/page")
        assert (status, body) == (200, b"<p>the page</p>")
        assert headers["X-Cache"] in ("STALE", "UPDATING")
        assert FlakyApp.calls >= 2  # nginx did ask the app, and kept the good copy
    finally:
        nginx.stop()
        upstream.shutdown()


@pytest.mark.skipif(
    not harness.nginx_module_installed("cache_purge"), reason="no cache purge module"
)
def test_purge_drops_a_page_from_the_cache(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyApp)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    FlakyApp.calls = 0
    nginx = harness.Nginx(free_port(), [upstream.server_port], tmp_path, "app").start(probe=None)
    try:
        base = f"http://127.0.0.1:{nginx.port}"
        assert get(base + "/p")[1]["X-Cache"] == "MISS"
        assert get(base + "/p")[1]["X-Cache"] == "HIT"
        assert get(base + "/p", method="PURGE")[0] == 200
        assert get(base + "/p")[1]["X-Cache"] == "MISS"
    finally:
        nginx.stop()
        upstream.shutdown()
