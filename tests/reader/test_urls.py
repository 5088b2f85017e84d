from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

from jarida.articles import services
from jarida.articles.models import Article, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make_article):
    return make_article(title="روسيا تعرض تعاوناً عسكرياً مع العراق")


def test_url_has_the_numeric_id_then_the_arabic_slug(article):
    assert article.get_absolute_url() == (
        f"/local/{article.pk}/" + quote("روسيا-تعرض-تعاونا-عسكريا-مع-العراق") + "/"
    )


def test_canonical_url_answers_200_raw_or_percent_encoded(client, article):
    assert client.get(article.get_absolute_url()).status_code == 200
    raw = f"/local/{article.pk}/روسيا-تعرض-تعاونا-عسكريا-مع-العراق/"
    assert client.get(raw).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/local/{pk}/",
        "/local/{pk}/old-slug/",
        "/politics/{pk}/روسيا-تعرض-تعاونا-عسكريا-مع-العراق/",
        "/local/{pk}/روسيا-تعرض-تعاوناً-عسكرياً-مع-العراق/",
        "/local/{pk}/روسيـا-تعرض/",
    ],
)
def test_other_forms_of_the_url_redirect_permanently(client, article, path):
    response = client.get(path.format(pk=article.pk))
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_old_url_survives_a_title_edit(client, article):
    old_url = article.get_absolute_url()
    article.title = "عنوان جديد للخبر"
    article.slug = ""
    services.save_article(article)
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert article.slug == "عنوان-جديد-للخبر"


def test_unpublished_and_unknown_articles_are_404(client, make_article):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(f"/local/{draft.pk}/").status_code == 404
    assert client.get("/local/999999/").status_code == 404
    assert client.get("/no-such-section/").status_code == 404


def test_404_page_is_arabic(client, db):
    response = client.get("/no-such-section/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_section_archive_is_paginated_newest_first(client, make_article):
    section = Section.objects.create(name="اقتصاد", slug="economy")
    start = datetime.fromisoformat("2026-01-01T10:00:00+03:00")
    made = [
        make_article(section=section, published_at=start + timedelta(hours=i)) for i in range(25)
    ]
    first = client.get("/economy/")
    titles = [a.title for a in first.context["page"]]
    assert titles[0] == made[-1].title and len(titles) == 20
    second = client.get("/economy/?page=2")
    assert [a.title for a in second.context["page"]] == [a.title for a in reversed(made[:5])]
    # One address per page: every other spelling of a page number answers 301 to it.
    for asked, canonical in [
        ("abc", "/economy/"),
        ("1", "/economy/"),
        ("0", "/economy/"),
        ("02", "/economy/"),
        ("٢", "/economy/"),
    ]:
        response = client.get("/economy/", {"page": asked})
        assert (response.status_code, response["Location"]) == (301, canonical), asked
    assert client.get("/economy/?page=2&page=2")["Location"] == "/economy/?page=2"
    assert client.get("/economy/?page=3").status_code == 404
