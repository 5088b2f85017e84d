"""Issue 14's weight budgets that need no browser: the seed article's HTML (a long story
with bylines, source and comments open) stays within 30 KB as the server sends it
uncompressed; benchmarks/page_weight.py measures every kind of file in Chromium."""

import pytest
from django.utils.encoding import uri_to_iri

from jarida.core.templatetags.arabic import iri

pytestmark = pytest.mark.django_db

ARTICLE_HTML_BUDGET = 30 * 1024


def test_seed_article_html_is_within_30_kb(client, seed_article):
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    size = len(response.content)
    print(f"seed article HTML: {size / 1024:.1f} KB")
    assert size <= ARTICLE_HTML_BUDGET, f"{size / 1024:.1f} KB"


def test_story_links_carry_their_arabic_slug_as_utf8(client, make_article):
    story = make_article(title="حافلات كهربائية في بغداد")
    assert "%D8" in story.get_absolute_url()  # reverse() escapes it: 6 bytes a letter
    html = client.get("/").content.decode()
    slug = story.get_absolute_url().split("/")[3]
    assert f"/{story.pk}/{uri_to_iri(slug)}/" in html
    assert slug not in html  # not once escaped in a card: a third of the home page's bytes


def test_iri_keeps_reserved_characters_escaped():
    assert iri("/local/13/%D8%AD%D8%A7/?q=%26%23") == "/local/13/حا/?q=%26%23"
