"""No stampede: many readers at once on a page being rebuilt cause one render.

Real threads against the real configured cache (files on the SQLite pass, Redis on the
scale-out pass). The view is a stand-in that takes 300 ms and counts its runs, so the
readers overlap for certain; the page cache around it is the real one.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jarida.reader import page_cache
from jarida.reader.page_cache import reader_page

pytestmark = pytest.mark.django_db

READERS = 16
KEY = "stampede-test"


@pytest.fixture
def slow_page(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    # Known before the threads start: no scheduled story (no database in the threads).
    page_cache.seconds_until_next_publication()
    state = {"renders": 0, "edition": 1}
    lock = threading.Lock()

    @reader_page
    def view(request):
        with lock:
            state["renders"] += 1
        time.sleep(0.3)
        page_cache.add_keys(request, KEY)
        return HttpResponse(f"<p>edition {state['edition']}</p>")

    return view, state


def readers_at_once(view, n=READERS) -> list:
    barrier = threading.Barrier(n)

    def read(_):
        barrier.wait()
        return view(RequestFactory().get("/stampede/"))

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(read, range(n)))


def test_a_cold_page_is_rendered_once_for_many_readers(slow_page):
    view, state = slow_page
    responses = readers_at_once(view)
    assert state["renders"] == 1
    assert {r.status_code for r in responses} == {200}
    assert {r.content for r in responses} == {b"<p>edition 1</p>"}


def test_readers_get_the_stale_copy_while_one_rebuilds_it(slow_page):
    view, state = slow_page
    view(RequestFactory().get("/stampede/"))
    state["edition"] = 2
    page_cache.bump([KEY])  # what a commit touching this page does
    responses = readers_at_once(view)
    assert state["renders"] == 2  # the first render, and exactly one rebuild
    bodies = [r.content for r in responses]
    assert bodies.count(b"<p>edition 2</p>") == 1
    assert bodies.count(b"<p>edition 1</p>") == READERS - 1
    stale = [r for r in responses if r.content == b"<p>edition 1</p>"]
    # The edge must not keep a copy known to be out of date.
    assert all("s-maxage=0" in r["Cache-Control"] for r in stale)
    # Once rebuilt, everyone gets the new page from the cache.
    after = readers_at_once(view)
    assert {r.content for r in after} == {b"<p>edition 2</p>"}
    assert state["renders"] == 2


def test_a_page_past_its_time_is_served_stale_while_one_rebuilds_it(slow_page, settings):
    import time_machine

    view, state = slow_page
    view(RequestFactory().get("/stampede/"))
    state["edition"] = 2
    with time_machine.travel(time.time() + settings.JARIDA_PAGE_CACHE_SECONDS + 5):
        responses = readers_at_once(view)
    assert state["renders"] == 2
    assert sorted(r.content for r in responses).count(b"<p>edition 1</p>") == READERS - 1


def test_a_crashed_rebuild_frees_the_page_for_the_next_reader(slow_page):
    view, state = slow_page
    view(RequestFactory().get("/stampede/"))
    page_cache.bump([KEY])

    @reader_page
    def broken(request):
        raise RuntimeError("the database went away mid-render")

    with pytest.raises(RuntimeError):
        broken(RequestFactory().get("/stampede/"))
    state["edition"] = 3
    assert view(RequestFactory().get("/stampede/")).content == b"<p>edition 3</p>"


def test_a_change_committed_during_the_render_leaves_the_page_stale(slow_page):
    """The render read the old row; the key's bump landed before its version was read."""
    _, state = slow_page

    @reader_page
    def racing(request):
        state["renders"] += 1
        page_cache.add_keys(request, KEY)
        body = f"<p>edition {state['edition']}</p>"
        if state["renders"] == 1:
            state["edition"] = 2
            page_cache.bump([KEY])  # another server's commit, mid-render
        return HttpResponse(body)

    request = RequestFactory().get("/stampede/")
    assert racing(request).content == b"<p>edition 1</p>"
    # Stored, but not as fresh: the next reader rebuilds it...
    assert racing(RequestFactory().get("/stampede/")).content == b"<p>edition 2</p>"
    # ...and from then on it is served from the cache.
    assert racing(RequestFactory().get("/stampede/")).content == b"<p>edition 2</p>"
    assert state["renders"] == 2


def test_readers_of_a_missing_page_do_not_wait_on_each_other(settings):
    """A 404 is never stored: the others stop waiting as soon as the first one is done."""
    from django.http import Http404

    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    page_cache.seconds_until_next_publication()

    @reader_page
    def missing(request):
        time.sleep(0.3)
        raise Http404("لا توجد صفحة")

    def read(_):
        barrier.wait()
        started = time.monotonic()
        with pytest.raises(Http404):
            missing(RequestFactory().get("/missing/"))
        return time.monotonic() - started

    barrier = threading.Barrier(8)
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(read, range(8)))
    # Each waited for the first render (0.3 s) and its own, never the 2 s cold wait.
    assert max(waits) < page_cache.COLD_WAIT_SECONDS
