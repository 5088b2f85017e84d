"""With SENTRY_DSN set, an unhandled error reaches the error-reporting server."""

import gzip
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from jarida.paths import BASE_DIR

# A view that fails, in a URLconf of the test's own (production code has no such view).
BOOM_URLS = """
from django.urls import path

def boom(request):
    return {}["missing"]

urlpatterns = [path("boom/", boom)]
"""
REPORT = """
import django
django.setup()
import sentry_sdk
from django.test import Client, override_settings
with override_settings(ROOT_URLCONF="boom_urls", ALLOWED_HOSTS=["testserver"]):
    assert Client(raise_request_exception=False).get("/boom/").status_code == 500
sentry_sdk.flush(5)
"""


def test_an_error_logged_by_django_is_sent_to_the_dsn(tmp_path):
    received = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":  # the SDK compresses with brotli when it is installed
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = os.environ | {
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "JARIDA_DATA_DIR": str(tmp_path),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{BASE_DIR}",
    }
    (tmp_path / "boom_urls.py").write_text(BOOM_URLS)
    try:
        subprocess.run(
            [sys.executable, "-c", REPORT], cwd=BASE_DIR, env=env, check=True, timeout=60
        )
    finally:
        server.shutdown()
    body = b"".join(received)
    assert b"KeyError" in body and b"missing" in body


def test_without_a_dsn_nothing_is_started():
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()
