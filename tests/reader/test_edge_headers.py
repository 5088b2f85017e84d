"""What the edge (nginx, Varnish, a CDN) is told: how long to keep a page, which keys it
has, and the same ETag for the same content on every server."""

import time

import pytest
import time_machine
from django.core.cache import caches
from django.utils.http import http_date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    # The paper's scheduled story is due in an hour: the edge may keep pages 10 minutes.
    settings.JARIDA_EDGE_MAX_AGE = 600
    settings.JARIDA_EDGE_STALE_SECONDS = 30


def test_anonymous_pages_may_be_kept_by_the_edge_and_name_their_keys(client, paper):
    story = paper["published"][0]
    response = client.get(story.get_absolute_url())
    assert response["Cache-Control"] == (
        "public, max-age=60, s-maxage=600, stale-while-revalidate=30"
    )
    keys = response["Surrogate-Key"].split()
    assert keys == sorted(
        {"all", f"article-{story.pk}", f"comments-{story.pk}", f"related-{story.pk}"}
    )
    assert response["Cache-Tag"].split(",") == keys
    home = client.get("/")["Surrogate-Key"].split()
    assert "home" in home and f"article-{story.pk}" in home
    section = paper["sections"][0]
    assert f"section-{section.pk}" in client.get(section.get_absolute_url())["Surrogate-Key"]
    assert "feeds" in client.get("/feed/")["Surrogate-Key"]
    assert "sitemaps" in client.get("/sitemap.xml")["Surrogate-Key"]


def test_logged_in_readers_get_no_edge_headers(client, paper, admin_user):
    client.force_login(admin_user)
    for url in ["/", paper["published"][0].get_absolute_url(), "/feed/", "/sitemap.xml"]:
        response = client.get(url)
        assert "s-maxage" not in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        assert "Surrogate-Key" not in response and "Cache-Tag" not in response, url
    api = client.get("/api/v1/articles")
    assert "s-maxage" not in api["Cache-Control"] and "Surrogate-Key" not in api


def test_the_edge_never_keeps_a_page_past_a_scheduled_story(client, paper, settings):
    """A story going live sends no purge: copies must expire by then on their own."""
    settings.JARIDA_EDGE_MAX_AGE = 7200  # longer than the hour before the scheduled story
    response = client.get(paper["published"][0].get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=3600"


def test_the_same_content_has_the_same_etag_on_two_servers(client, paper):
    """Two servers: the second has none of the first's cached pages and renders later."""
    urls = ["/", paper["published"][0].get_absolute_url(), "/feed/", "/sitemap.xml"]
    first = {url: client.get(url) for url in urls}
    caches["pages"].clear()  # the other server's page cache has nothing yet
    with time_machine.travel(time.time() + 600):
        second = {url: client.get(url) for url in urls}
    for url in urls:
        assert second[url].content == first[url].content, url
        assert second[url]["ETag"] == first[url]["ETag"], url


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/sitemap.xml", "/sitemap-news.xml"])
def test_feeds_and_sitemaps_are_cached_and_answer_conditional_gets(
    client, paper, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        cached = client.get(url)
        assert cached.content == first.content
        unchanged = client.get(url, headers={"if-none-match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    if "Last-Modified" in first:
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304
        older = http_date(time.time() - 10 * 365 * 86400)
        assert client.get(url, headers={"if-modified-since": older}).status_code == 200
    assert client.get(url, headers={"if-none-match": '"other"'}).status_code == 200


def test_feeds_say_when_they_last_changed(client, paper):
    assert "Last-Modified" in client.get("/feed/")
