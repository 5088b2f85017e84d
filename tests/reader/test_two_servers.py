"""Two app servers sharing the cache: a page stored by one is served by the other, and a
change made through one is seen by the other at its next request.

The second server is a real second Python process with the same settings (the same
Redis on the scale-out pass; on the file cache, the same data directory, as the worker
processes of one machine share it). The page is a stand-in view, so no database is
shared: what is tested is the cache's side (pages, versions, bumps).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jarida.reader import page_cache
from jarida.reader.page_cache import reader_page

pytestmark = pytest.mark.django_db

KEY = "two-servers-test"
SERVER = """
import time_machine
time_machine.travel({now!r}, tick=True).start()  # the suite's clock: servers agree (NTP)
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings
from jarida.reader import page_cache
from jarida.reader.page_cache import reader_page

@reader_page
def view(request):
    page_cache.add_keys(request, {key!r})
    return HttpResponse("<p>rendered by the second server</p>")

with override_settings(JARIDA_PAGE_CACHE_SECONDS=300, ALLOWED_HOSTS=["testserver"]):
    print(view(RequestFactory().get("/two-servers/")).content.decode())
"""


def second_server() -> str:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings"}
    done = subprocess.run(
        [sys.executable, "-c", SERVER.format(key=KEY, now=time.time())],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_change_through_one_server_reaches_the_other(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    page_cache.seconds_until_next_publication()  # remembered in the shared cache

    @reader_page
    def view(request):
        page_cache.add_keys(request, KEY)
        return HttpResponse("<p>rendered by the first server</p>")

    assert b"first server" in view(RequestFactory().get("/two-servers/")).content
    # The second server finds the page the first one stored.
    assert second_server() == "<p>rendered by the first server</p>"
    page_cache.bump([KEY])  # the first server commits a change the page shows
    page_cache.seconds_until_next_publication()  # (the bump made it look again)
    assert second_server() == "<p>rendered by the second server</p>"
    # And the first server now serves the page the second one rebuilt.
    assert b"second server" in view(RequestFactory().get("/two-servers/")).content
