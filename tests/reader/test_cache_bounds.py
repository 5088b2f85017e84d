"""The page cache on the backends users run: bounded keys, and nothing else pushed out.

Runs on the real configured caches: files in the data directory on the SQLite pass,
Redis on the scale-out pass (never an in-memory stand-in).
"""

from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client, RequestFactory

from jarida.comments.limits import over_limit
from jarida.reader import page_cache

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-03-01T12:00:00+03:00")


def stored_pages() -> int:
    pages = caches["pages"]
    if hasattr(pages, "keys"):  # django-redis: this run's keys only (its prefix)
        return len(pages.keys("*"))
    return len(list(Path(pages._dir).glob("*.djcache")))


@pytest.fixture
def reader_pages(settings, make_article):
    """Addresses of 25 real pages: articles, the home page, two pages of an archive."""
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    articles = [make_article() for _ in range(22)]
    return ["/", "/local/", "/local/?page=2", *(a.get_absolute_url() for a in articles)]


def test_distinct_requests_neither_lose_key_versions_nor_reset_a_rate_limit(reader_pages):
    with time_machine.travel(NOW, tick=False):  # one rate-limit window for the whole test
        poster = RequestFactory().post("/comments/", REMOTE_ADDR="203.0.113.7")
        for _ in range(5):
            assert not over_limit(poster, "reader@example.com")
        assert over_limit(poster, "reader@example.com")
        watched = [page_cache.ALL, page_cache.HOME, page_cache.section_key(1)]
        versions = page_cache.versions(watched)
        client = Client()
        for i in range(2000):
            url = reader_pages[i % len(reader_pages)]
            # Every request a different address, as links shared with tracking tags are.
            junk = f"utm_source=share{i}&fbclid={i:x}&q={i}"
            joined = f"{url}&{junk}" if "?" in url else f"{url}?{junk}"
            assert client.get(joined).status_code == 200, joined
        # Stored pages never pushed out the surrogate keys' versions (their own alias).
        assert page_cache.versions(watched) == versions
        assert over_limit(poster, "reader@example.com")
        # One entry per real page, however many addresses asked for it.
        assert stored_pages() == len(reader_pages)


def test_non_canonical_page_numbers_are_redirected_and_never_stored(reader_pages, client):
    for number in ["1", "01", "abc", "0", "-2", "2.0", "٢", "99999999999"]:
        response = client.get("/local/", {"page": number})
        assert response.status_code == 301, number
    assert client.get("/local/?page=9").status_code == 404
    assert stored_pages() == 0


def test_a_full_page_cache_culls_expired_pages_first(settings, tmp_path):
    from jarida.core.cache import ExpiringFileCache

    cache = ExpiringFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    with time_machine.travel(NOW, tick=False):
        cache.set("lasting", "stays", None)
        for i in range(9):
            cache.set(f"brief-{i}", i, 5)
    with time_machine.travel(NOW.timestamp() + 60, tick=False):
        cache.set("new", "fresh", 300)  # over the limit: the expired nine go, nothing live
        assert cache.get("lasting") == "stays" and cache.get("new") == "fresh"
        assert len(list(tmp_path.glob("*.djcache"))) == 2
