"""What a comment's text becomes when cleaned, and what the 255 limit counts."""

import unicodedata

import pytest
from comment_strategies import COMMENT_TEXT
from hypothesis import given

from jarida.comments.forms import CommentForm
from jarida.comments.text import MAX_LENGTH, clean_comment_text, comment_length, count_links

INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
INVISIBLE |= set("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("مرحبا\r\nبكم", "مرحبا\nبكم"),  # browsers post CRLF; the counter sees LF
        ("  أهلًا  ", "أهلًا"),
        ("سطر\n\n\n\n\nسطر", "سطر\n\nسطر"),  # at most one blank line
        ("سطر   \nسطر", "سطر\nسطر"),
        ("\u202eنص مقلوب", "نص مقلوب"),
        ("عر\u200bاق", "عراق"),
        ("\uf06fترجمة", "ترجمة"),
        ("a\x00b\x1b[31m", "ab[31m"),
        ("ا\u0654", "أ"),  # alef + combining hamza is the letter أ
        ("e\u0301", "é"),
    ],
)
def test_cleaning_removes_junk_and_keeps_line_breaks(typed, stored):
    assert clean_comment_text(typed) == stored


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("بَغْدَادُ", 9),  # tashkeel are code points of their own
        ("أكثـــر", 7),  # tatweel counts: the text is stored as written
        ("😀", 1),  # one code point, two UTF-16 units
        ("👍🏽", 2),  # emoji + skin tone modifier
        ("🇮🇶", 2),  # two regional indicators
        ("👨‍👩‍👧", 3),  # the ZWJs between the people are removed
        ("ا\u0654", 1),
        ("سطر\r\nسطر", 7),
    ],
)
def test_the_limit_counts_code_points_after_cleaning(text, count):
    assert comment_length(text) == count


@given(COMMENT_TEXT)
def test_cleaning_is_idempotent_and_leaves_no_invisible_characters(text):
    cleaned = clean_comment_text(text)
    assert clean_comment_text(cleaned) == cleaned
    assert not INVISIBLE & set(cleaned)
    assert not any(unicodedata.category(ch) in {"Co", "Cc"} and ch not in "\t\n" for ch in cleaned)
    assert "\r" not in cleaned and "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()
    assert unicodedata.is_normalized("NFC", cleaned)


@given(COMMENT_TEXT)
def test_the_form_accepts_exactly_the_texts_the_counter_allows(text):
    form = CommentForm({"text": text})
    form.is_valid()
    length = comment_length(text)
    assert ("text" not in form.errors) == (0 < length <= MAX_LENGTH)
    if "text" not in form.errors:
        assert form.cleaned_data["text"] == clean_comment_text(text)


def test_junk_does_not_count_towards_the_limit():
    text = "ب" * MAX_LENGTH + "\u200b" * 50 + "\u202e"
    form = CommentForm({"text": text})
    form.is_valid()
    assert "text" not in form.errors
    assert len(form.cleaned_data["text"]) == MAX_LENGTH


def test_255_emoji_fit_and_256_do_not():
    assert "text" not in _errors("😀" * 255)
    assert _errors("😀" * 256)["text"] == [
        "تعليقك أطول من 255 حرفًا (فيه 256). اختصره قليلًا ثم أرسله."
    ]


def _errors(text):
    form = CommentForm({"text": text})
    form.is_valid()
    return form.errors


def test_the_text_field_renders_without_a_utf16_maxlength():
    assert "maxlength" not in str(CommentForm()["text"])


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("لا روابط هنا، فقط 3.14 ونقطة.", 0),
        ("انظر https://example.com/a?b=1 و http://x.org", 2),
        ("www.spam.example و spam.xyz/offer و موقع xn--mgbh0fb.xn--mgbaam7a8h", 3),
    ],
)
def test_links_are_counted_with_or_without_a_scheme(text, links):
    assert count_links(text) == links
