"""Listing pages: content, order, no cookies, and a fixed number of queries."""

from datetime import datetime, timedelta

import pytest

from jarida.articles import services
from jarida.articles.models import Byline, Section

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-01-01T10:00:00+03:00")


@pytest.fixture
def newsroom(make_article):
    """Three sections with six stories each, bylines and tags on all of them."""
    reporter = services.contributor_named("سلمى الجبوري")
    translator = services.contributor_named("حسن الموسوي")
    tags = services.tags_named(["المياه", "دجلة"])
    sections = [
        Section.objects.create(name=name, slug=slug, position=i)
        for i, (name, slug) in enumerate(
            [("سياسية", "politics"), ("اقتصاد", "economy"), ("رياضة", "sports")]
        )
    ]
    for n in range(18):
        make_article(
            section=sections[n % 3],
            published_at=START + timedelta(hours=n),
            bylines=[
                services.BylineSpec(reporter),
                services.BylineSpec(translator, Byline.Role.TRANSLATOR),
            ],
            tags=tags,
        )
    return {"sections": sections, "reporter": reporter, "tag": tags[0]}


def _warm(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # latest + its bylines; every section's block in one query (their cards print no
        # byline)
        ("/", 3),
        ("/politics/", 3),  # count + page + bylines
        ("/writers/{reporter}/", 4),  # contributor + count + page + bylines
        ("/tags/{tag}/", 4),  # tag + count + page + bylines
    ],
)
def test_listing_pages_have_a_fixed_query_count(
    client, newsroom, django_assert_num_queries, url, queries
):
    url = url.format(reporter=newsroom["reporter"].slug, tag=newsroom["tag"].slug)
    _warm(client, url)
    # Bylines are prefetched once per list, whatever the number of cards.
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_home_shows_latest_and_a_block_per_section(client, newsroom):
    response = client.get("/")
    latest = response.context["latest"]
    assert latest[0].published_at == START + timedelta(hours=17)
    blocks = response.context["blocks"]
    assert [section.slug for section, _ in blocks] == ["politics", "economy", "sports"]
    assert all(len(articles) == 4 for _, articles in blocks)
    for section, articles in blocks:
        assert all(a.section_id == section.pk for a in articles)
        assert articles == sorted(articles, key=lambda a: a.published_at, reverse=True)


def test_contributor_page_lists_their_articles(client, newsroom):
    response = client.get(newsroom["reporter"].get_absolute_url())
    html = response.content.decode()
    assert "سلمى الجبوري" in html
    assert response.context["page"].paginator.count == 18


def test_reader_pages_set_no_cookies(client, newsroom):
    for url in ("/", "/politics/", newsroom["reporter"].get_absolute_url()):
        response = client.get(url)
        assert not response.cookies, url
        assert "Set-Cookie" not in response.headers


def test_pages_are_arabic_and_right_to_left(client, newsroom):
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'aria-label="الأقسام"' in html
