"""Cleaning of Arabic text as editors paste it and files carry it.

Two strengths of cleaning:

* `clean_text` for one-line fields (titles, names, excerpts): also drops ZWNJ and
  folds whitespace, because these strings become slugs, search keys and <title>s.
* `clean_body_text` for running text: removes only what is never meant (private-use
  icon glyphs, bidi controls, zero-width marks other than ZWNJ, control characters)
  and keeps every word and space exactly.

HTML bodies go through `sanitize_html`: the same character cleaning, then nh3's
allow-list sanitiser (nh3 keeps U+202E, so our step must come first).
"""

import re
import textwrap
import unicodedata
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.text import slugify

TATWEEL = "\u0640"
ZWNJ = "\u200c"

# Character-class ranges (for use inside `[...]`), shared with the comment rule.
# Private-use area: icon fonts' glyphs (U+F06F, U+F03C on the seed page).
PRIVATE_USE = "\ue000-\uf8ff"
# Bidi embeddings, overrides, isolates and marks.
BIDI_CONTROLS = "\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c"
# Zero-width space, joiner, word joiner, invisible operators, BOM.
ZERO_WIDTH_KEPT_IN_BODY = "\u200b\u200d\u2060-\u2064\ufeff"
# C0/C1 controls except tab and newlines (NUL breaks PostgreSQL text columns).
CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
#: Everything a one-line field loses: the above and ZWNJ.
INVISIBLE = f"{PRIVATE_USE}{BIDI_CONTROLS}{ZERO_WIDTH_KEPT_IN_BODY}{ZWNJ}{CONTROLS}"

_BODY_JUNK = re.compile(f"[{PRIVATE_USE}{BIDI_CONTROLS}{ZERO_WIDTH_KEPT_IN_BODY}{CONTROLS}]")
_INLINE_JUNK = re.compile(f"[{INVISIBLE}]")


def clean_text(value: str) -> str:
    """Clean a one-line field: invisible and private-use characters out, spaces folded."""
    value = unicodedata.normalize("NFC", value)
    value = _INLINE_JUNK.sub("", value)
    # str.split() and `\s` agree on what whitespace is (both use Unicode's White_Space
    # test); split/join folds it at twice a regex's speed on long texts (search indexing).
    return " ".join(value.split())


def clean_body_text(value: str) -> str:
    """Clean running text without touching its words: ZWNJ and whitespace are kept."""
    return _BODY_JUNK.sub("", unicodedata.normalize("NFC", value))


# What article bodies may contain. `dir` is kept so a quotation in another language can
# set its own direction; links get rel="noopener" and only web and mail schemes.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "q", "cite", "strong", "b", "em", "i",
    "u", "s", "sub", "sup", "ul", "ol", "li", "a", "figure", "figcaption", "img", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}
_html_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return article HTML reduced to the allow-list, with junk characters removed."""
    cleaned = _html_cleaner.clean(clean_body_text(html))
    # ProseMirror always keeps one empty paragraph; an empty body is an empty string.
    return "" if re.fullmatch(r"\s*(<p>\s*</p>)?\s*", cleaned) else cleaned


# Where a block of HTML ends, so its text does not run into the next block's.
_BLOCK_END = re.compile(r"</(?:p|div|h\d|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The words of HTML as one line of plain text: blocks apart, entities decoded, spaces
    folded (`<p>A &amp; B</p>` → `A & B`). Excerpts, search, imported titles all use it."""
    return " ".join(unescape(strip_tags(_BLOCK_END.sub(" ", html or ""))).split())


def html_opening(html: str, at_least: int) -> str:
    """The HTML up to the first tag's end after `at_least` characters: enough for an
    excerpt, without converting (and wrapping) a whole long body for 220 characters."""
    if not html or len(html) <= at_least:
        return html or ""
    end = html.find(">", at_least)
    return html if end < 0 else html[: end + 1]


def html_paragraphs(html: str) -> list[str]:
    """The text of each block (paragraph, heading, quotation, list item) of an HTML body."""
    lines = unescape(strip_tags(_BLOCK_END.sub("\n", html or ""))).splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def strip_tatweel(value: str) -> str:
    return value.replace(TATWEEL, "")


def excerpt(text: str, max_chars: int, placeholder: str = " […]") -> str:
    """Cut plain text to at most `max_chars` on a word boundary, marking the cut."""
    # shorten() splits the whole text into chunks, yet keeps only those within the width:
    # give it the words up to the first space past the width. Whatever follows that space
    # cannot fit, and the text given stays longer than the width, so the cut is marked
    # the same (tested against shorten() of the whole text).
    words = " ".join(text[: 4 * max_chars].split())
    cut = words.find(" ", max_chars + 1)
    if cut != -1:
        text = words[:cut]
    return textwrap.shorten(text, width=max_chars, placeholder=placeholder)


def html_excerpt(html: str, max_chars: int, placeholder: str = " […]") -> str:
    """`excerpt(html_to_text(html), ...)` without converting a whole long body: from the
    body's opening, once that opening's text runs past the width (the cut only depends on
    the words up to the first space past the width)."""
    for at_least in (2 * max_chars, 10 * max_chars):
        opening = html_opening(html, at_least)
        text = html_to_text(opening)
        if len(opening) == len(html or "") or text.find(" ", max_chars + 1) != -1:
            return excerpt(text, max_chars, placeholder) if text else ""
    text = html_to_text(html)
    return excerpt(text, max_chars, placeholder) if text else ""


def arabic_slug(title: str, max_length: int = 120) -> str:
    """A readable Arabic URL slug: tatweel and tanween out, cut at a hyphen."""
    slug = slugify(strip_tatweel(clean_text(title)), allow_unicode=True)
    if len(slug) > max_length:
        slug = slug[:max_length]
        if "-" in slug:
            slug = slug.rsplit("-", 1)[0]
    return slug
