"""Drafts, stories in review, unpublished and scheduled stories appear on no surface:
no feed, no sitemap, no API answer, no reader page; a scheduled one appears when due."""

from datetime import timedelta

import pytest
import time_machine

from tests.conftest import HIDDEN_MARK, NEWSROOM_NOW

pytestmark = pytest.mark.django_db


def _feeds(paper) -> list[str]:
    lists = [
        "/",
        "/politics/",
        f"/writers/{paper['reporter'].slug}/",
        f"/writers/{paper['translator'].slug}/",
        f"/tags/{paper['tag'].slug}/",
    ]
    return [f"{base}feed/{kind}" for base in lists for kind in ("", "atom/", "json/")]


SITEMAPS = [
    "/sitemap.xml",
    "/sitemaps/articles.xml",
    "/sitemaps/sections.xml",
    "/sitemaps/writers.xml",
    "/sitemap-news.xml",
]


def _api_lists(paper) -> list[str]:
    return [
        "/api/v1/articles?limit=100",
        "/api/v1/articles?section=politics",
        f"/api/v1/articles?contributor={paper['reporter'].slug}",
        f"/api/v1/articles?tag={paper['tag'].slug}",
        "/api/v1/articles?from=2026-03-01&to=2026-03-02",
        f"/api/v1/search?q={HIDDEN_MARK}",
        "/api/v1/search?q=خبر",
    ]


def _pages(paper) -> list[str]:
    return [
        "/",
        "/politics/",
        paper["reporter"].get_absolute_url(),
        paper["tag"].get_absolute_url(),
        # The page repeats the query: ask with the other word of the hidden titles.
        "/search/?q=خبر",
    ]


def _leaks(body: str, paper, hidden) -> list[str]:
    """What in a response gives a hidden story away: its title or its URL's id segment."""
    found = []
    if HIDDEN_MARK in body:
        found.append("title")
    for story in hidden:
        if f"/{story.pk}/" in body or f'"id": {story.pk},' in body:
            found.append(f"id {story.pk}")
    return found


def _surfaces(paper) -> list[str]:
    return [*_feeds(paper), *SITEMAPS, *_api_lists(paper), *_pages(paper)]


def test_no_surface_shows_a_hidden_story(client, paper):
    hidden = list(paper["hidden"].values())
    for url in _surfaces(paper):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _leaks(response.content.decode(), paper, hidden), url


@pytest.mark.parametrize("state", ["draft", "review", "unpublished", "scheduled"])
def test_hidden_story_answers_404_by_id_everywhere(client, paper, state):
    story = paper["hidden"][state]
    for url in (
        f"/api/v1/articles/{story.pk}",
        f"/api/v1/articles/{story.pk}/comments",
        f"/politics/{story.pk}/",
        f"/politics/{story.pk}/{story.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url


def test_scheduled_story_appears_everywhere_once_due(client, paper):
    scheduled = paper["hidden"]["scheduled"]
    still_hidden = [s for key, s in paper["hidden"].items() if key != "scheduled"]
    with time_machine.travel(NEWSROOM_NOW + timedelta(hours=1, seconds=1), tick=False):
        for url in [*_feeds(paper), "/sitemaps/articles.xml", "/sitemap-news.xml"]:
            body = client.get(url).content.decode()
            assert f"/{scheduled.pk}/" in body, url
            assert not _leaks(body.replace(scheduled.title, ""), paper, still_hidden), url
        listed = client.get("/api/v1/articles?limit=100").json()["results"]
        assert scheduled.pk in [item["id"] for item in listed]
        assert client.get(f"/api/v1/articles/{scheduled.pk}").status_code == 200
        assert client.get(scheduled.get_absolute_url()).status_code == 200
