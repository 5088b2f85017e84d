"""Fresh cached pages answered before sessions and routing (PageCacheMiddleware)."""

import logging
from unittest import mock

import pytest
from django.urls.resolvers import URLResolver

from jarida.reader.page_cache import PageCacheMiddleware

pytestmark = pytest.mark.django_db

EARLY = "jarida.reader.page_cache.PageCacheMiddleware"
#: Headers that differ between any two answers, cached or not.
PER_ANSWER = {"Date", "X-Request-ID"}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300


def no_routing():
    return mock.patch.object(URLResolver, "resolve", side_effect=AssertionError("routed"))


def test_a_fresh_page_is_answered_without_routing_or_queries(
    client, seed_article, django_assert_num_queries
):
    url = seed_article.get_absolute_url()
    first = client.get(url)
    with no_routing(), django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content


def test_same_headers_as_a_hit_through_the_view(client, seed_article, settings):
    url = seed_article.get_absolute_url()
    client.get(url)
    early = client.get(url)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != EARLY]
    through_view = client.get(url)
    assert through_view.content == early.content

    def headers(response):
        return {k: v for k, v in response.headers.items() if k not in PER_ANSWER}

    assert headers(early) == headers(through_view)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Length", "ETag"):
        assert header in early


def test_archive_pages_by_number_are_answered_early(client, make_article, monkeypatch):
    monkeypatch.setattr("jarida.reader.views.ARCHIVE_PAGE_SIZE", 2)
    for n in range(5):
        make_article(title=f"خبر الأرشيف {n}")
    first = client.get("/local/?page=2")
    assert first.status_code == 200
    with no_routing():
        assert client.get("/local/?page=2").content == first.content


@pytest.mark.parametrize(
    "query", ["page=1", "page=02", "page=2&utm_source=x", "utm_source=x", "page=abc", "q=1"]
)
def test_other_query_strings_go_to_the_view(client, seed_article, rf, query):
    """The view decides what these mean (ignored, redirect, 404): never answered early."""
    url = seed_article.get_absolute_url()
    client.get(url)
    request = rf.get(f"{url}?{query}")
    passed = mock.Mock(return_value="down the chain")
    assert PageCacheMiddleware(passed)(request) == "down the chain"


def test_a_reader_with_a_session_is_never_answered_early(client, seed_article, rf, settings):
    url = seed_article.get_absolute_url()
    client.get(url)
    request = rf.get(url)
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    passed = mock.Mock(return_value="down the chain")
    assert PageCacheMiddleware(passed)(request) == "down the chain"


def test_a_changed_page_goes_to_the_view(client, seed_article, django_capture_on_commit_callbacks):
    url = seed_article.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        seed_article.title = "عنوان جديد للمقال"
        seed_article.save()
    assert "عنوان جديد للمقال" in client.get(url).content.decode()


def test_early_answers_are_logged_under_their_route(client, seed_article, caplog):
    url = seed_article.get_absolute_url()
    client.get(url)
    with caplog.at_level(logging.INFO, logger="jarida.request"), no_routing():
        client.get(url)
    routes = [getattr(r, "route", None) for r in caplog.records if r.name == "jarida.request"]
    assert routes and routes[-1] not in (None, "unmatched")
    assert "<int:pk>" in routes[-1]
