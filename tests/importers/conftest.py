"""Importer fixtures: the shared test files (skipped when absent), WXR builders, a local server."""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jarida.paths import BASE_DIR

SHARED_DIR = Path(os.environ.get("JARIDA_SHARED_DIR", BASE_DIR.parent / "shared"))
THEME_FILE = SHARED_DIR / "fixtures" / "wordpress" / "themeunittestdata.wordpress.xml"
CORPUS_1K = SHARED_DIR / "data" / "saudinewsnet" / "articles-1k.ndjson.gz"


@pytest.fixture
def theme_file() -> Path:
    if not THEME_FILE.exists():
        pytest.skip(f"{THEME_FILE} is absent (../shared is not beside this checkout)")
    return THEME_FILE


@pytest.fixture
def corpus_1k() -> Path:
    if not CORPUS_1K.exists():
        pytest.skip(f"{CORPUS_1K} is absent (../shared is not beside this checkout)")
    return CORPUS_1K


WP_12 = "https://wordpress.org/export/1.2/"


def wxr_document(items: str, *, wp: str = WP_12, head: bytes = b"", extra: str = "") -> bytes:
    """A small WordPress export around `items` (WXR elements written with the `wp:` prefix)."""
    body = f"""<rss version="2.0" xmlns:excerpt="{wp}excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{wp}">
<channel>
<title>أرشيف قديم</title>
<wp:wxr_version>{wp.rstrip("/").rsplit("/", 1)[1]}</wp:wxr_version>
<link>https://old.example</link>
<wp:base_blog_url>https://old.example</wp:base_blog_url>
<wp:author><wp:author_login>reporter</wp:author_login>
<wp:author_display_name><![CDATA[تميم الحسن]]></wp:author_display_name></wp:author>
{extra}
{items}
</channel>
</rss>
"""
    return (head or b'<?xml version="1.0" encoding="UTF-8"?>\n') + body.encode("utf-8")


def wxr_post(post_id: int, *, title: str = "خبر", status: str = "publish", **fields) -> str:
    """One `<item>` of type post; keyword arguments override or add `wp:` fields."""
    values = {
        "post_id": str(post_id),
        "post_date": "2015-08-03 12:40:00",
        "post_date_gmt": "2015-08-03 09:40:00",
        "post_name": f"post-{post_id}",
        "status": status,
        "post_type": "post",
        "comment_status": "open",
    } | {k: str(v) for k, v in fields.items() if k not in ("content", "link", "categories")}
    wp = "".join(f"<wp:{k}><![CDATA[{v}]]></wp:{k}>" for k, v in values.items() if v != "None")
    link = fields.get("link", f"https://old.example/2015/08/03/post-{post_id}/")
    return f"""<item><title><![CDATA[{title}]]></title><link>{link}</link>
<dc:creator><![CDATA[reporter]]></dc:creator>{fields.get("categories", "")}
<content:encoded><![CDATA[{fields.get("content", "نص الخبر.")}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>{wp}</item>"""


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def local_server():
    """A server on 127.0.0.1 answering `routes[path] = (status, headers, body)`."""
    routes: dict[str, tuple[int, dict, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, headers, body = routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()
