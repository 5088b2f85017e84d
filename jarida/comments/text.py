"""What a comment's text is once cleaned, and so what the 255-character limit counts.

The rule is mirrored character for character in `static/comments/comments.js`
(`JaridaComments.clean`), so the reader's live counter and the server agree: the
limit counts Unicode code points (what Django's `max_length` and PostgreSQL's
`char_length` count; `[...text].length` in JavaScript) of the text after cleaning.

1. Line breaks become `\\n` (browsers submit a textarea's lines as CRLF).
2. Out: private-use glyphs, bidi controls, zero-width characters (ZWNJ and ZWJ too:
   they are invisible, so they can hide text and defeat the banned-word list) and
   control characters other than tab and line feed.
3. NFC, so a letter typed as base plus combining hamza counts as the one letter it is.
4. Spaces at the end of a line go, at most one blank line is kept between paragraphs,
   and the whole text is trimmed.
"""

import re
import unicodedata

from jarida.core.text import INVISIBLE

MAX_LENGTH = 255

_NEWLINES = re.compile("\r\n|[\r\u2028\u2029]")
# What one-line fields lose (private use, bidi, zero-width incl. ZWNJ/ZWJ, controls but
# tab and line feed), plus the supplementary private-use planes.
_JUNK = re.compile(f"[{INVISIBLE}\U000f0000-\U0010ffff]")
_TRAILING_SPACE = re.compile("[ \t]+\n")
_BLANK_LINES = re.compile("\n{3,}")
# Spelled out (not `\s`) so Python and JavaScript trim exactly the same characters.
_EDGE_SPACE = re.compile(
    "^[\t\n \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+"
    "|[\t\n \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+\\Z"
)


def clean_comment_text(value: str) -> str:
    """A comment as it is stored and counted: invisible junk out, line breaks kept."""
    value = _NEWLINES.sub("\n", value)
    value = _JUNK.sub("", value)
    value = unicodedata.normalize("NFC", value)
    value = _TRAILING_SPACE.sub("\n", value)
    value = _BLANK_LINES.sub("\n\n", value)
    return _EDGE_SPACE.sub("", value)


def comment_length(value: str) -> int:
    """The count the 255 limit and the reader's counter use."""
    return len(clean_comment_text(value))


_LINK = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,}|xn--[a-z0-9-]+)\b(?:/\S*)?"
)


def count_links(value: str) -> int:
    """Web addresses in a comment, with or without `http://` (`spam.example/x`)."""
    return len(_LINK.findall(value))
