"""One ranking for every backend: BM25F over the counts a backend reports for its best.

Each engine has its own idea of relevance (FTS5's `bm25()`, PostgreSQL's `ts_rank`), so
the same query ranked the same matches differently. Backends still pick their best
candidates with their own formula (cheap, inside the engine); search then orders those
candidates by this formula alone, with the terms' document frequencies from the shared
vocabulary (`search_term`), so both engines order the same candidates the same way.

BM25F (Robertson, Zaragoza & Taylor 2004): a word's occurrences in the title and the
body are added with field weights (title ×10, as FTS5's weights and ts_rank's A/D were),
saturated once with k1 and normalised by the entry's length (its number of distinct
terms, against the mean from the vocabulary), times the word's IDF. A slot (a query
word and its variants) counts the occurrences of all its alternatives, with the slot's
IDF (`query.weights`), so a rare spelling of a common word does not outweigh it.

A slot the entry does not hold in any alternative still earns part of a title
occurrence when its title holds a word close in spelling to the query's own (`near`):
a spelling no rule foresaw (فولفسبورغ/فولفسبورج beside the variants, نفاذ/نفاد, another
form of a verb) then still tells the story that holds the other words in its title from
the many that hold them by chance.
"""

from dataclasses import dataclass, field

from jarida.search.query import Match, near

K1, B = 1.2, 0.75
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
#: The share of a title occurrence that a near spelling of a missing word earns.
NEAR_TITLE = 0.5


@dataclass(frozen=True)
class TermCounts:
    """How often each asked-for term occurs in an entry's title and body, and the
    entry's length (distinct terms, title and body together)."""

    title: dict[str, int] = field(default_factory=dict)
    body: dict[str, int] = field(default_factory=dict)
    length: int = 0
    #: Every term of the title (asked for or not), for near spellings.
    title_terms: frozenset[str] = frozenset()

    def weighted(self, term: str) -> float:
        return TITLE_WEIGHT * self.title.get(term, 0) + BODY_WEIGHT * self.body.get(term, 0)


def score(match: Match, counts: TermCounts, mean_length: float) -> float:
    """BM25F of one entry for the match (higher is better)."""
    weights = match.weights or (1.0,) * len(match.slots)
    norm = K1 * (1 - B + B * counts.length / mean_length)
    total = 0.0
    for slot, weight in zip(match.slots, weights, strict=True):
        # A split word (two terms) counts as often as its rarer half.
        tf = sum(min(counts.weighted(t) for t in alternative) for alternative in slot)
        if not tf and NEAR_TITLE and any(near(slot[0][0], t) for t in counts.title_terms):
            tf = NEAR_TITLE * TITLE_WEIGHT
        if tf:
            total += weight * tf * (K1 + 1) / (tf + norm)
    return total


def in_title(match: Match, counts: TermCounts) -> bool:
    """Whether the entry's title holds every slot (in one of its alternatives)."""
    return all(
        any(all(counts.title.get(t, 0) for t in alternative) for alternative in slot)
        for slot in match.slots
    )
