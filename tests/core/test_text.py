import textwrap
from html import escape

from hypothesis import given
from hypothesis import strategies as st

from jarida.core.text import (
    arabic_slug,
    clean_body_text,
    clean_text,
    excerpt,
    html_excerpt,
    html_opening,
    html_to_text,
    sanitize_html,
)

PUA_AND_INVISIBLES = (
    "\uf06f\uf03c\ue000\u202e\u202d\u202a\u2066\u2069\u200e\u200f\u200b\u200d\u2060\ufeff\x00"
)


def test_raw_seed_lines_with_private_use_glyphs_are_cleaned(seed_page_lines):
    carrying = [line for line in seed_page_lines if "\uf06f" in line or "\uf03c" in line]
    assert len(carrying) >= 3, "the seed page carries U+F06F before ترجمة, عن and the dateline"
    cleaned = [clean_text(line) for line in carrying]
    assert "ترجمة: حامد أحمد" in cleaned
    assert "عن: اسوشيتدبرس" in cleaned
    assert any(line.startswith("بغداد/ تميم الحسن") for line in cleaned)
    for line in cleaned:
        assert not any("\ue000" <= ch <= "\uf8ff" for ch in line)
        assert line == line.strip()


def test_clean_text_removes_bidi_zero_width_and_controls():
    assert clean_text("\u202eعر\u200bاق\u200c\x00 \u2066بغداد\u2069") == "عراق بغداد"


def test_clean_text_folds_whitespace_and_composes_nfc():
    assert clean_text("  حامد \n\t أحمد  ") == "حامد أحمد"
    # ALEF + MADDA ABOVE composes to ALEF WITH MADDA (آ).
    assert clean_text("\u0627\u0653") == "\u0622"


def test_body_text_keeps_zwnj_words_and_spacing():
    persian = "می\u200cخواهم  بروم\n"
    assert clean_body_text(persian + "\uf06f\u202e") == persian


def test_body_text_keeps_tatweel_and_harakat():
    text = "أكثـر تعاوناً"
    assert clean_body_text(text) == text


@given(st.text(alphabet=st.sampled_from(list(PUA_AND_INVISIBLES) + list("عراق بغداد \n"))))
def test_no_invisible_survives_either_cleaning(value):
    for cleaned in (clean_text(value), clean_body_text(value)):
        assert not set(cleaned) & set(PUA_AND_INVISIBLES)


def test_sanitize_html_keeps_allowed_markup_and_drops_scripts():
    dirty = (
        '<p dir="ltr" onclick="x()">نص <strong>مهم</strong>'
        '<a href="javascript:alert(1)">رابط</a><script>alert(1)</script></p>'
        '<iframe srcdoc="<b>"></iframe><h2>عنوان</h2><img src=x onerror="alert(1)">'
    )
    clean = sanitize_html(dirty)
    assert '<p dir="ltr">نص <strong>مهم</strong>' in clean
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "iframe" not in clean
    assert "<h2>عنوان</h2>" in clean


def test_sanitize_html_removes_bidi_override_nh3_would_keep():
    assert "\u202e" not in sanitize_html("<p>\u202eabc</p>")


def test_sanitize_html_links_get_rel_and_empty_editor_body_is_empty():
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="https://example.com">x</a>')
    assert sanitize_html("<p></p>") == ""


def test_excerpt_cuts_on_word_boundary_with_marker():
    text = "في ظل ظروف متوترة في المنطقة التقى رئيس الوزراء بالرئيس في البيت الأبيض"
    cut = excerpt(text, 40)
    assert cut.endswith(" […]")
    assert text.startswith(cut.removesuffix(" […]"))
    assert len(cut) <= 40
    assert excerpt("قصير", 40) == "قصير"


def test_arabic_slug_drops_tatweel_tanween_and_private_use():
    title = "\uf06fروسيا تعرض تعاوناً عسكرياً أكثـر"
    assert arabic_slug(title) == "روسيا-تعرض-تعاونا-عسكريا-أكثر"


def test_arabic_slug_is_cut_at_a_hyphen():
    slug = arabic_slug("كلمة " * 100, max_length=30)
    assert len(slug) <= 30 and not slug.endswith("-")
    assert set(slug.split("-")) == {"كلمة"}


@given(
    st.lists(
        st.text(alphabet="ابتثجحخ دذرزس &;<>pb/", min_size=0, max_size=80), min_size=0, max_size=60
    )
)
def test_an_excerpt_from_the_opening_is_the_excerpt_of_the_whole(paragraphs):
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    whole = excerpt(html_to_text(html), 220)
    assert excerpt(html_to_text(html_opening(html, 2200)), 220) == whole


@given(
    st.text(alphabet="ابت ثج-\t\n\u00a0xy", min_size=0, max_size=1200),
    st.integers(min_value=8, max_value=300),
)
def test_an_excerpt_is_what_textwrap_shorten_makes_of_the_whole_text(text, width):
    # Words, hyphens (shorten may break after one), runs of mixed whitespace, texts
    # shorter and longer than the width: the fast path must not change a single result.
    expected = textwrap.shorten(text, width=width, placeholder=" […]")
    assert excerpt(text, width) == expected


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p", "h2", "li", "b", "br"]),
            st.text(alphabet="ابتثجح دذ-&;<>x", min_size=0, max_size=120),
        ),
        max_size=80,
    ),
    st.integers(min_value=5, max_value=400),
)
def test_an_excerpt_of_html_is_the_excerpt_of_its_whole_text(blocks, width):
    # Blocks that end with a space and inline tags that join words; texts from a few
    # characters to many times the width.
    html = "".join(
        f"{escape(text)}<br>" if tag == "br" else f"<{tag}>{escape(text)}</{tag}>"
        for tag, text in blocks
    )
    assert html_excerpt(html, width) == (
        excerpt(text, width) if (text := html_to_text(html)) else ""
    )
