"""The seed page (../shared/fixtures/seed-article.json), created and rendered end to end."""

import re

import pytest
from django.utils.html import strip_tags
from pytest_django.asserts import assertContains

from jarida.core import dates
from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db


def _text_of(html: str, css_class: str) -> str:
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no element with class {css_class}"
    return " ".join(strip_tags(match.group(2)).split())


def test_seed_article_page_shows_every_element_in_order(client, seed_article, seed_data):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    # Breadcrumb: site > section > title, as schema.org BreadcrumbList (JSON-LD in the head;
    # tests/feeds/test_metadata.py reads it with extruct).
    assert _text_of(html, "breadcrumb") == " ".join(seed_data["breadcrumb"])
    assert '"@type": "BreadcrumbList"' in html
    assertContains(response, f'<h1 class="article-title">{seed_data["title"]}</h1>', html=True)
    assert _text_of(html, "article-date") == seed_data["published_display"]
    assert _text_of(html, "byline byline--translator") == "ترجمة: حامد أحمد"
    for paragraph in seed_data["body_paragraphs"]:
        assertContains(response, f"<p>{paragraph}</p>", count=1, html=True)
    assert html.count("<p>", html.index('class="article-body"')) >= 19
    assert _text_of(html, "source") == "عن: اسوشيتدبرس"

    # In the body: the head repeats the opening words in its description and JSON-LD.
    body = html[html.index("<body") :]
    positions = [
        body.index('class="breadcrumb"'),
        body.index('class="article-title"'),
        body.index('class="article-date"'),
        body.index('class="byline byline--translator"'),
        body.index(seed_data["body_paragraphs"][0].split("،")[0]),
        body.index(seed_data["body_paragraphs"][-1][-20:]),
        body.index('class="source"'),
    ]
    assert positions == sorted(positions)


def test_seed_date_follows_the_month_name_setting(client, seed_article):
    settings = SiteSettings.load()
    settings.month_names = dates.MONTHS_SYRIAC
    settings.save()
    html = client.get(seed_article.get_absolute_url()).content.decode()
    assert _text_of(html, "article-date") == "نشر في: 9 شباط, 2020: 08:48 م"


def test_seed_date_with_digits_and_hijri_settings(client, seed_article):
    settings = SiteSettings.load()
    settings.digits = dates.DIGITS_ARABIC_INDIC
    settings.show_hijri = True
    settings.save()
    html = client.get(seed_article.get_absolute_url()).content.decode()
    assert _text_of(html, "article-date") == (
        "نشر في: ٩ فبراير, ٢٠٢٠: ٠٨:٤٨ م (١٥ جمادى الآخرة ١٤٤١ هـ)"
    )


#: What the page's blocks add on a cold cache, a fixed number whatever their content: the
#: stored related cards (one query, jarida/related), the most-read lists (one aggregate
#: per window) and the sponsored creatives (their list and the next campaign start or
#: end; one more for their sections when there are any) and the latest supplements (one).
#: and the footer's pages (one). Warm, all come from the cache.
BLOCKS_COLD_QUERIES = 1 + 2 + 2 + 1 + 1


def test_seed_article_page_query_count(client, seed_article, django_assert_num_queries):
    url = seed_article.get_absolute_url()
    # Cold cache: article, bylines, tags, published comments (replies and count
    # included), plus site settings and the section menu.
    with django_assert_num_queries(6 + BLOCKS_COLD_QUERIES):
        assert client.get(url).status_code == 200
    # Warm cache (every request after the first): the article and its two relations,
    # and one query for the comment thread, whatever its size (tests/comments).
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
