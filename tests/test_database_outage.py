"""With the database out of reach: cached pages still served, the rest a clear 503."""

import pytest
from django.db import OperationalError

from jarida.articles.models import ArticleQuerySet

pytestmark = pytest.mark.django_db


@pytest.fixture
def outage(monkeypatch):
    """Every read of published articles fails as a dropped PostgreSQL connection does."""

    def down():
        monkeypatch.setattr(
            ArticleQuerySet,
            "published",
            lambda self, at=None: (_ for _ in ()).throw(
                OperationalError("server closed the connection unexpectedly")
            ),
        )

    return down


def test_reader_pages_answer_503_in_arabic_with_retry_after(client, make_article, outage):
    make_article()
    outage()
    for url in ["/", "/local/", "/feed/"]:
        response = client.get(url)
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        assert "قاعدة بياناته" in response.content.decode()


def test_the_api_answers_503_in_json(client, make_article, outage):
    make_article()
    outage()
    response = client.get("/api/v1/articles")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Database unavailable" in response.json()["message"]


def test_pages_in_the_page_cache_are_still_served(client, make_article, outage, settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    article = make_article(title="خبر قبل الانقطاع")
    cached = client.get(article.get_absolute_url())
    outage()
    again = client.get(article.get_absolute_url())
    assert again.status_code == 200 and again.content == cached.content
