"""Snippets with the reader's words marked as the article writes them (not as stems)."""

import re
from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString, mark_safe

from jarida.search.analysis import analyze

# A word as written: letters or digits, with any harakat and tatweel inside it.
WORD_RE = re.compile(r"[^\W_][\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]*")


@lru_cache(maxsize=50_000)
def _word_terms(word: str) -> tuple[str, ...]:
    # A result page analyses some 2,000 words of its snippets' texts, most of them the
    # same few hundred (و، في، من, the story's names): each is analysed once per process.
    return tuple(analyze(word))


def _matches(word: str, terms: frozenset[str]) -> bool:
    return any(term in terms for term in _word_terms(word))


def highlight(text: str, terms: list[str], max_words: int | None = None) -> SafeString:
    """Escape `text`, wrap matching words in <mark>; with `max_words`, keep the best window."""
    term_set = frozenset(terms)
    words = list(WORD_RE.finditer(text))
    if not words:
        return mark_safe(escape(text if max_words is None else text[:200]))
    hits = [i for i, word in enumerate(words) if _matches(word.group(), term_set)]
    first, last = 0, len(words)
    if max_words is not None and len(words) > max_words:
        # The window of `max_words` words holding the most matches, starting a little
        # before the first of them so the reader gets the sentence's beginning.
        lead = max(hits, key=lambda h: sum(h <= o < h + max_words - 3 for o in hits), default=0)
        first = max(0, min(lead - 3, len(words) - max_words))
        last = first + max_words
    hit_set = set(hits)
    out, cursor = [], words[first].start() if first else 0
    for i in range(first, last):
        word = words[i]
        out.append(escape(text[cursor : word.start()]))
        piece = escape(word.group())
        out.append(f"<mark>{piece}</mark>" if i in hit_set else piece)
        cursor = word.end()
    end = words[last - 1].end() if last < len(words) else len(text)
    out.append(escape(text[cursor:end]))
    snippet = "".join(out).strip()
    if first > 0:
        snippet = "… " + snippet
    if last < len(words):
        snippet += " …"
    return mark_safe(snippet)
