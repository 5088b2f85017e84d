"""RSS, Atom and JSON feeds read by feedparser, a real feed client."""

import json
from datetime import datetime

import feedparser
import pytest

from jarida.core.models import SiteSettings
from tests.conftest import NEWSROOM_NOW

pytestmark = pytest.mark.django_db

FORMATS = ["", "atom/", "json/"]


def _lists(paper) -> dict[str, int]:
    """Every feed's list URL and how many published stories it must carry."""
    return {
        "/feed/": 3,
        "/politics/feed/": 2,
        "/economy/feed/": 1,
        f"/writers/{paper['reporter'].slug}/feed/": 2,
        f"/writers/{paper['translator'].slug}/feed/": 2,
        f"/tags/{paper['tag'].slug}/feed/": 2,
    }


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("kind", ["", "atom/"])
def test_every_xml_feed_parses_cleanly_with_the_right_entry_count(client, paper, kind):
    for url, count in _lists(paper).items():
        response, feed = _parse(client, url + kind)
        assert not feed.bozo, (url + kind, feed.get("bozo_exception"))
        assert feed.version == ("atom10" if kind else "rss20")
        assert len(feed.entries) == count, url + kind
        assert feed.feed.language == "ar"
        assert response["Last-Modified"]
        # What each format requires: RSS channel title, link and description; Atom ids and
        # update times; every entry a title, a permalink id and dates.
        assert feed.feed.title and feed.feed.link.startswith("http://testserver/")
        if kind:
            assert feed.feed.id and feed.feed.updated
        else:
            assert feed.feed.subtitle  # the channel's <description>
        for entry in feed.entries:
            assert entry.title and entry.id == entry.link
            assert entry.published_parsed and (not kind or entry.updated_parsed)


def test_rss_entry_carries_dates_credits_tags_enclosure_and_full_text(client, paper):
    _, feed = _parse(client, "/feed/")
    story = paper["published"][0]
    entry = feed.entries[0]
    assert entry.title == story.title
    assert entry.link == "http://testserver" + story.get_absolute_url()
    assert entry.id == entry.link
    assert datetime(*entry.published_parsed[:6]) == datetime(2026, 3, 1, 8, 0)  # UTC
    assert [a["name"] for a in entry.authors] == ["سلمى الجبوري"]
    assert [c["name"] for c in entry.contributors] == ["حامد أحمد"]
    assert {t.term for t in entry.tags} == {"سياسية", "المياه"}
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith("http://testserver/media/")
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    assert entry.summary == story.summary
    full = entry.content[0].value
    assert "بقلم: سلمى الجبوري · ترجمة: حامد أحمد" in full
    assert "بغداد/ سلمى الجبوري" in full and story.body in full


def test_atom_entry_names_authors_and_translator_as_contributor(client, paper):
    _, feed = _parse(client, "/feed/atom/")
    first, second, third = feed.entries
    assert [a["name"] for a in first.authors] == ["سلمى الجبوري"]
    assert first.authors[0]["href"].endswith(paper["reporter"].get_absolute_url())
    assert [c["name"] for c in first.contributors] == ["حامد أحمد"]
    assert [a["name"] for a in second.authors] == ["سلمى الجبوري"]
    # A translated story with no writer: the translator is a contributor, the paper the author.
    assert [c["name"] for c in third.contributors] == ["حامد أحمد"]
    assert first.published == NEWSROOM_NOW.replace(hour=11).isoformat()
    assert first.updated >= first.published
    assert first.content[0].type == "text/html"
    assert any(link.rel == "enclosure" for link in first.links)


def test_json_feed_is_version_1_1_with_items_authors_and_credits(client, paper):
    response = client.get("/politics/feed/json/")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["language"] == "ar" and feed["title"].startswith("سياسية")
    assert feed["home_page_url"] == "http://testserver/politics/"
    assert feed["feed_url"] == "http://testserver/politics/feed/json/"
    first, third = feed["items"]
    assert {"id", "url", "title", "content_html", "summary", "date_published"} <= set(first)
    assert first["image"].startswith("http://testserver/media/")
    assert first["authors"] == [
        {"name": "سلمى الجبوري", "url": "http://testserver" + paper["reporter"].get_absolute_url()}
    ]
    assert [c["label"] for c in first["_jarida"]["credits"]] == ["بقلم", "ترجمة"]
    assert "authors" not in third
    assert datetime.fromisoformat(first["date_published"]).utcoffset() is not None


def test_summary_only_when_full_content_is_off(client, paper):
    site = SiteSettings.load()
    site.feed_full_content = False
    site.save()
    _, rss = _parse(client, "/feed/")
    assert "content" not in rss.entries[0]
    assert rss.entries[0].summary == paper["published"][0].summary
    _, atom = _parse(client, "/feed/atom/")
    assert "content" not in atom.entries[0]
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert "content_html" not in items[0] and items[0]["content_text"]


@pytest.mark.parametrize(
    "url", ["/nowhere/feed/", "/writers/nobody/feed/atom/", "/tags/nothing/feed/json/"]
)
def test_feeds_of_unknown_lists_answer_404(client, paper, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/feed/", 3),  # articles (section, image, agency joined) + bylines + tags
        ("/politics/feed/atom/", 3),  # the section comes from the cached menu
        ("/writers/{reporter}/feed/json/", 4),  # + the writer
        ("/tags/{tag}/feed/", 4),  # + the tag
    ],
)
def test_feeds_cost_a_fixed_number_of_queries(
    client, paper, django_assert_num_queries, url, queries
):
    url = url.format(reporter=paper["reporter"].slug, tag=paper["tag"].slug)
    client.get(url)  # warm the site settings and section menu caches
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_seed_article_feed_credits_the_translator(client, seed_article):
    _, feed = _parse(client, "/politics/feed/")
    (entry,) = feed.entries
    assert entry.title == seed_article.title
    assert [c["name"] for c in entry.contributors] == ["حامد أحمد"]
    assert "authors" not in entry
    assert "ترجمة: حامد أحمد" in entry.content[0].value
    assert "عن: اسوشيتدبرس" in entry.content[0].value
