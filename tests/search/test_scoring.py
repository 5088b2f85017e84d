"""The shared ranking (BM25F over the counts a backend reports), engine-independent."""

from jarida.search.query import Match
from jarida.search.scoring import TermCounts, in_title, score

MATCH = Match(((("مطر",),), (("رياض",),)), weights=(2.0, 1.0))


def test_a_word_in_the_title_outweighs_the_same_word_in_the_body():
    titled = TermCounts({"مطر": 1, "رياض": 1}, {}, 20)
    in_body = TermCounts({}, {"مطر": 1, "رياض": 1}, 20)
    assert score(MATCH, titled, 20.0) > score(MATCH, in_body, 20.0)


def test_the_rarer_word_weighs_more():
    rare = TermCounts({"مطر": 1}, {}, 20)
    common = TermCounts({"رياض": 1}, {}, 20)
    assert score(MATCH, rare, 20.0) > score(MATCH, common, 20.0) > 0


def test_a_longer_entry_scores_less_for_the_same_counts():
    short, long = TermCounts({}, {"مطر": 2}, 10), TermCounts({}, {"مطر": 2}, 400)
    assert score(MATCH, short, 100.0) > score(MATCH, long, 100.0)


def test_occurrences_saturate():
    once, often = TermCounts({}, {"مطر": 1}, 50), TermCounts({}, {"مطر": 40}, 50)
    # Forty times as often is worth less than three times as much (k1 + 1 at most).
    assert score(MATCH, once, 50.0) < score(MATCH, often, 50.0) < 3 * score(MATCH, once, 50.0)


def test_a_slot_counts_every_alternative_and_a_split_word_its_rarer_half():
    slot = Match(((("مطر",), ("امطار",)), (("فيس", "بوك"),)), weights=(1.0, 1.0))
    both = TermCounts({}, {"مطر": 1, "امطار": 1, "فيس": 3, "بوك": 1}, 30)
    one = TermCounts({}, {"مطر": 1, "فيس": 3, "بوك": 1}, 30)
    half = TermCounts({}, {"مطر": 1, "امطار": 1, "فيس": 3}, 30)
    assert score(slot, both, 30.0) > score(slot, one, 30.0)
    assert score(slot, half, 30.0) < score(slot, both, 30.0)


def test_in_title_needs_every_slot_in_the_title():
    assert in_title(MATCH, TermCounts({"مطر": 1, "رياض": 2}, {}, 5))
    assert not in_title(MATCH, TermCounts({"مطر": 1}, {"رياض": 1}, 5))


def test_a_near_spelling_in_the_title_earns_part_of_a_title_occurrence():
    # The title holds مطر and a spelling of رياض no rule foresaw (an extra letter).
    near = TermCounts({"مطر": 1}, {}, 20, frozenset({"مطر", "رياضه"}))
    unrelated = TermCounts({"مطر": 1}, {}, 20, frozenset({"مطر", "قطار"}))
    exact = TermCounts({"مطر": 1, "رياض": 1}, {}, 20, frozenset({"مطر", "رياض"}))
    assert score(MATCH, unrelated, 20.0) < score(MATCH, near, 20.0) < score(MATCH, exact, 20.0)


def test_a_near_spelling_in_the_body_earns_nothing():
    body = TermCounts({"مطر": 1}, {"رياضه": 1}, 20, frozenset({"مطر"}))
    alone = TermCounts({"مطر": 1}, {}, 20, frozenset({"مطر"}))
    assert score(MATCH, body, 20.0) == score(MATCH, alone, 20.0)
