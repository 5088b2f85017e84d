"""How related stories are chosen: plain functions over analysed terms, no database.

The same Arabic analysis the search uses (`jarida.search.analysis.analyze`) turns a story
into terms. Its *signature* is the terms that say most about it: weighted by where they
occur (title terms count three times) and by how rare they are in the archive (BM25's
IDF from the search vocabulary); terms only this story holds, or that half the archive
holds, say nothing about a neighbour and are left out. A candidate's score is the share
of the signature's weight it holds, plus a little for shared tags and section, scaled by
how close in time the two stories are (a follow-up a week later beats a namesake a year
earlier).
"""

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from jarida.search.analysis import analyze

#: How much more a term in the title counts than one in the body.
TITLE_WEIGHT = 3
#: The number of terms in a story's signature.
SIGNATURE_TERMS = 24
#: Terms held by more than this share of the archive are too common to relate stories
#: (never fewer than MIN_CEILING stories: in a young archive every count is small).
MAX_DOCUMENT_SHARE = 0.05
MIN_CEILING = 50
#: Function words: in a young archive their frequencies say nothing yet. Analysed by the
#: same pipeline, so every spelling (هذة/هذه, إلى/الى) meets its stem.
FUNCTION_WORDS = frozenset(
    analyze(
        "في من على إلى عن مع أن إن التي الذي الذين هذا هذه ذلك تلك كان كانت قد لقد "
        "ما لا لم لن هو هي هم بين بعد قبل عند حتى كل أو ثم وقال قال أي منذ خلال حول"
    )
)
#: The least share of the signature a candidate must hold to be shown without a shared tag.
MIN_TEXT_SCORE = 0.12
TAG_BONUS = 0.08  # per shared tag, at most three
SECTION_BONUS = 0.03
#: Closeness in time: the score is scaled down by up to this much, halving every N days.
TIME_WEIGHT = 0.25
TIME_HALF_LIFE_DAYS = 14


def idf(df: int, documents: int) -> float:
    """BM25's inverse document frequency (never negative), as search ranks with it."""
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def weighted_terms(title: str, text: str) -> Counter:
    """Term → how often it occurs, title occurrences counted TITLE_WEIGHT times."""
    counts = Counter(t for t in analyze(text) if len(t) > 1)
    for term in analyze(title):
        if len(term) > 1:
            counts[term] += TITLE_WEIGHT
    return counts


def signature(counts: Counter, df: dict[str, int], documents: int) -> dict[str, float]:
    """The SIGNATURE_TERMS most telling terms of a story and their weights.

    `df` is each term's document frequency in the index (the story itself included), so a
    term with df 1 is this story's alone and relates it to nothing.
    """
    ceiling = max(MIN_CEILING, documents * MAX_DOCUMENT_SHARE)
    weights = {}
    for term, count in counts.items():
        frequency = df.get(term, 0)
        if term in FUNCTION_WORDS or term.isdigit():
            continue
        if 2 <= frequency <= ceiling and frequency < max(documents, 3):
            # Sub-linear in the count: a word repeated ten times is not ten times the topic.
            weights[term] = (1 + math.log(count)) * idf(frequency, documents)
    best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:SIGNATURE_TERMS]
    return dict(best)


@dataclass(frozen=True)
class Candidate:
    article_id: int
    terms: frozenset
    published_at: datetime
    section_id: int | None = None
    tag_ids: frozenset = frozenset()


def score(
    story_signature: dict[str, float],
    candidate: Candidate,
    *,
    published_at: datetime,
    section_id: int | None = None,
    tag_ids: frozenset = frozenset(),
) -> float:
    """How related `candidate` is to the story (0 when it should not be shown)."""
    total = sum(story_signature.values()) or 1.0
    text = sum(w for t, w in story_signature.items() if t in candidate.terms) / total
    shared_tags = len(tag_ids & candidate.tag_ids)
    if text < MIN_TEXT_SCORE and not shared_tags:
        return 0.0
    value = text + TAG_BONUS * min(shared_tags, 3)
    if section_id is not None and section_id == candidate.section_id:
        value += SECTION_BONUS
    days = abs((published_at - candidate.published_at).total_seconds()) / 86400
    closeness = 0.5 ** (days / TIME_HALF_LIFE_DAYS)
    return value * (1 - TIME_WEIGHT + TIME_WEIGHT * closeness)


def rank(
    story_signature: dict[str, float], candidates: list[Candidate], limit: int, **story
) -> list[tuple[int, float]]:
    """(article id, score) of the `limit` best candidates, best first (ties: newest)."""
    scored = [(score(story_signature, c, **story), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s > 0]
    scored.sort(key=lambda sc: (-sc[0], -sc[1].published_at.timestamp(), -sc[1].article_id))
    return [(c.article_id, s) for s, c in scored[:limit]]


def choose(ranked: list[int], pinned: list[int], excluded: set[int], count: int) -> list[int]:
    """The editors' pins first (in their order), then the best computed, minus exclusions."""
    chosen = [pk for pk in dict.fromkeys(pinned) if pk not in excluded]
    for pk in ranked:
        if len(chosen) >= max(count, len(pinned)):
            break
        if pk not in excluded and pk not in chosen:
            chosen.append(pk)
    return chosen
