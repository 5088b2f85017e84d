"""Sitemaps and robots.txt, validated against the sitemap protocol's XSDs with lxml."""

from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from jarida.feeds.sitemaps import ArticleSitemap

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(SCHEMAS / name))


def _valid(client, url, schema_name) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema = _schema(schema_name)
    assert schema.validate(document), (url, schema.error_log)
    return document


def _locs(document) -> list[str]:
    return document.xpath("//sm:loc/text()", namespaces=NS)


def test_sitemap_index_lists_articles_sections_and_writers(client, paper):
    index = _valid(client, "/sitemap.xml", "siteindex.xsd")
    assert _locs(index) == [
        "http://testserver/sitemaps/articles.xml",
        "http://testserver/sitemaps/sections.xml",
        "http://testserver/sitemaps/writers.xml",
    ]
    lastmods = index.xpath("//sm:lastmod/text()", namespaces=NS)
    assert all(datetime.fromisoformat(value).utcoffset() is not None for value in lastmods)


def test_every_sitemap_validates_and_lists_only_public_pages(client, paper):
    articles = _valid(client, "/sitemaps/articles.xml", "sitemap.xsd")
    assert _locs(articles) == [
        "http://testserver" + story.get_absolute_url() for story in paper["published"]
    ]
    sections = _valid(client, "/sitemaps/sections.xml", "sitemap.xsd")
    assert _locs(sections) == ["http://testserver/politics/", "http://testserver/economy/"]
    writers = _valid(client, "/sitemaps/writers.xml", "sitemap.xsd")
    assert sorted(_locs(writers)) == sorted(
        "http://testserver" + person.get_absolute_url()
        for person in (paper["reporter"], paper["translator"])
    )


def test_article_sitemap_is_paginated(client, paper, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    index = _valid(client, "/sitemap.xml", "siteindex.xsd")
    assert "http://testserver/sitemaps/articles.xml?p=2" in _locs(index)
    first = _valid(client, "/sitemaps/articles.xml", "sitemap.xsd")
    second = _valid(client, "/sitemaps/articles.xml?p=2", "sitemap.xsd")
    assert len(_locs(first)) == 2 and len(_locs(second)) == 1
    assert client.get("/sitemaps/articles.xml?p=3").status_code == 404


def test_news_sitemap_lists_the_last_48_hours_with_publication_and_language(client, paper):
    news = _valid(client, "/sitemap-news.xml", "news-sitemap.xsd")
    recent = paper["published"][:2]
    assert _locs(news) == ["http://testserver" + s.get_absolute_url() for s in recent]
    assert news.xpath("//news:publication/news:name/text()", namespaces=NEWS) == ["جريدة"] * 2
    assert news.xpath("//news:publication/news:language/text()", namespaces=NEWS) == ["ar"] * 2
    assert news.xpath("//news:title/text()", namespaces=NEWS) == [s.title for s in recent]
    dates = news.xpath("//news:publication_date/text()", namespaces=NEWS)
    assert dates == [s.published_at.isoformat() for s in recent]


def test_schemas_reject_a_broken_sitemap():
    broken = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>http://testserver/a/</loc><lastmod>yesterday</lastmod></url></urlset>"
    )
    assert not _schema("sitemap.xsd").validate(broken)
    no_language = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        b"<url><loc>http://testserver/a/</loc><news:news><news:publication>"
        b"<news:name>x</news:name></news:publication>"
        b"<news:publication_date>2026-03-01</news:publication_date>"
        b"<news:title>t</news:title></news:news></url></urlset>"
    )
    assert not _schema("news-sitemap.xsd").validate(no_language)


def test_sitemaps_cost_a_fixed_number_of_queries(client, paper, django_assert_num_queries):
    client.get("/sitemap.xml")
    with django_assert_num_queries(6):  # count + latest for each of the three sitemaps
        client.get("/sitemap.xml")
    with django_assert_num_queries(2):  # count + page
        client.get("/sitemaps/articles.xml")
    with django_assert_num_queries(2):
        client.get("/sitemap-news.xml")


def test_robots_txt_points_to_the_sitemaps(client, paper):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
