"""The story card built in Python (jarida.reader.cards): escaping and layouts."""

import pytest
from django.utils.safestring import mark_safe

from jarida.core.models import SiteSettings
from jarida.reader.cards import card

pytestmark = pytest.mark.django_db


@pytest.fixture
def style():
    return SiteSettings.load().date_style


def test_every_field_is_escaped(make_article, style):
    article = make_article(
        title='<script>alert("t")</script>',
        kicker="<b>عاجل</b>",
        summary="<img src=x onerror=alert(1)>",
        dateline="<i>بغداد</i>",
    )
    html = card(article, style, with_excerpt=True, show_section=True)
    assert "<script>" not in html and "<b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;عاجل&lt;/b&gt;" in html
    assert "&lt;i&gt;بغداد&lt;/i&gt;" in html


def test_search_highlights_stay_marked_and_plain_text_is_escaped(make_article, style):
    article = make_article(title="عنوان")
    highlighted = card(article, style, title=mark_safe("<mark>عنوان</mark>"), snippet="<x>")
    assert '<a href="' in highlighted and "><mark>عنوان</mark></a>" in highlighted
    assert '<p class="card-excerpt search-snippet">&lt;x&gt;</p>' in highlighted


def test_layouts(make_article, style):
    article = make_article(title="خبر")
    lead = card(article, style, lead=True, level=2, show_section=True)
    assert lead.startswith('<article class="card card--lead">')
    assert '<h2 class="card-title">' in lead and "</h2>" in lead
    assert 'href="/local/">محليات</a>' in lead
    plain = card(article, style)
    assert '<h3 class="card-title">' in plain
    assert "/local/" not in plain.split("card-meta")[1]  # no section link
    assert "card-excerpt" not in plain
    compact = card(article, style, compact=True)
    assert compact.startswith('<article class="card card--compact">')


def test_link_carries_the_arabic_slug_as_utf8(make_article, style):
    article = make_article(title="حافلات كهربائية")
    html = card(article, style)
    assert f'href="/local/{article.pk}/حافلات-كهربائية/"' in html


def test_sponsored_story_is_labelled(make_article, style):
    article = make_article(title="مادة")
    article.sponsored = True
    html = card(article, style)
    assert 'class="card card--sponsored"' in html
    assert '<p class="paid-label">اعلان ممول</p>' in html


def test_icons_are_inline_svg_hidden_from_screen_readers():
    from jarida.reader.icons import PATHS, icon

    for name in PATHS:
        svg = icon(name)
        assert svg.startswith('<svg class="icon" aria-hidden="true"') and PATHS[name] in svg
    assert icon("no-such-network").endswith("></svg>")  # an empty icon, never an error
