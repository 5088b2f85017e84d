"""What a backend is asked to match, and the steps search falls back through.

A `Match` is an AND of slots (one per query word), each slot an OR of alternatives, each
alternative an AND of terms (one term, or the two halves of a split word). Backends
compile it to their own syntax; every term is letters or digits only, so no reader
input ever reaches an engine's parser as syntax.

The steps, each taken only when the one before found fewer than a page of articles:
  all       every word as analysed (precision first);
  variants  each word the index holds in some form (a word it holds in none is left
            out), as itself or one of its variants in the vocabulary: clitics
            split off (بمدرسة → مدرسة), the same skeleton (كومبيوتر/كمبيوتر,
            مشروع/مشاريع), a split or joined word (فيس بوك/فيسبوك);
  drop      as `variants`, with any one word missing (whichever it is: the wrong form of
            a word, or a word the story does not use), in one query;
  any       any one word or variant, when nothing else was found.
Articles found by an earlier step always rank above those only a later step found.
"""

import difflib
from dataclasses import dataclass, field
from functools import lru_cache

from jarida.search import vocabulary
from jarida.search.analysis import stem

Alternative = tuple[str, ...]
Slot = tuple[Alternative, ...]

PAGE = 10
STEPS = ("all", "variants", "drop", "any")
# Conjunctions, prepositions and the article a word may carry, and the possessive and
# object pronouns it may end with (Arabic grammar, not a list of words).
PROCLITICS = tuple(
    sorted(
        {
            c + p + a
            for c in ("", "و", "ف")
            for p in ("", "ب", "ل", "ك", "س")
            for a in ("", "ال")
            if c + p + a and not (p == "س" and a)
        }
        | {"لل", "ولل", "فلل"},
        key=len,
        reverse=True,
    )
)
ENCLITICS = ("هما", "هم", "هن", "ها", "كم", "كن", "نا", "ني", "ه", "ك", "ي")
# The feminine ending of a past verb (دشنت, قدمت), which the light stemmer keeps.
INFLECTIONS = ("ت",)
MAX_ALTERNATIVES = 8
MIN_SIMILARITY = 0.7


@dataclass(frozen=True)
class Match:
    """Every slot must match (or all but one, with `one_missing`, or any one, with
    `any_slot`); weights are slot IDFs. With `in_title`, only in the title field."""

    slots: tuple[Slot, ...]
    weights: tuple[float, ...] = ()
    any_slot: bool = False
    one_missing: bool = False
    in_title: bool = False

    def groups(self) -> list[tuple[int, ...]]:
        """Positions of slots that must all match, for each way the match may be met."""
        n = len(self.slots)
        if self.any_slot:
            return [(i,) for i in range(n)]
        if self.one_missing and n > 1:
            return [tuple(j for j in range(n) if j != i) for i in range(n)]
        return [tuple(range(n))]

    @classmethod
    def strict(cls, terms: list[str]) -> "Match":
        return cls(tuple(((term,),) for term in terms))

    def terms(self) -> list[str]:
        """Every term of every alternative, in order, once."""
        return list(dict.fromkeys(t for slot in self.slots for alt in slot for t in alt))


@dataclass
class Word:
    """One query word: its analysed term, the variants found for it, and their df."""

    token: str
    term: str
    alternatives: list[Alternative] = field(default_factory=list)
    df: int = 0


# The prefixes the light stemmer keeps on an indexed word (a preposition or conjunction
# without the article): the archive holds بتوزيع and لتوزيع as terms of their own. A
# lone ف is left out: too many words begin with it (فتح، فرض، فريق).
ATTACHED = tuple(
    c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك") if c + p and c + p != "ف"
)


@lru_cache(maxsize=10_000)
def cores(token: str) -> frozenset[str]:
    """The token, and the token with a clitic prefix and/or a pronoun suffix taken off
    (cached: a search asks for a word's segmentations and its attached forms)."""
    found = {token}
    for prefix in ("", *PROCLITICS):
        if not token.startswith(prefix):
            continue
        rest = token[len(prefix) :]
        for suffix in ("", *ENCLITICS, *INFLECTIONS):
            if (prefix or suffix) and rest.endswith(suffix):
                core = rest[: len(rest) - len(suffix)]
                if len(core) >= 3:
                    found.add(core)
                    # ة is written ت before a pronoun: مدرستهم is مدرسة + هم.
                    if suffix and core.endswith("ت"):
                        found.add(core[:-1] + "ه")
    for core in list(found):
        # The dual of a word in ة: سيارتين, سيارتان are سيارة + ين, ان.
        if core.endswith(("تين", "تان")) and len(core) >= 6:
            found.add(core[:-3] + "ه")
    return frozenset(found)


def segmentations(token: str) -> set[str]:
    """Stems of the token with a clitic prefix and/or a pronoun suffix taken off."""
    return {stem(core) for core in cores(token) if core != token}


def attached(token: str) -> set[str]:
    """Terms the index may hold for the token's word with another preposition or
    conjunction attached (لتوزيع → بتوزيع, وتوزيع), which light stemming does not strip."""
    return {stem(prefix + core) for core in cores(token) for prefix in ATTACHED}


def splits(token: str) -> list[tuple[str, str]]:
    """The token cut in two words of at least three letters each."""
    return [(stem(token[:i]), stem(token[i:])) for i in range(3, len(token) - 2)]


@lru_cache(maxsize=100_000)
def _close(one: str, other: str) -> bool:
    matcher = difflib.SequenceMatcher(None, one, other)
    # The cheap upper bounds first: most skeleton mates are not close.
    return (
        matcher.real_quick_ratio() >= MIN_SIMILARITY
        and matcher.quick_ratio() >= MIN_SIMILARITY
        and matcher.ratio() >= MIN_SIMILARITY
    )


def near(term: str, other: str) -> bool:
    """Whether two terms are close in spelling (an edit or two apart, for their length)."""
    return len(term) >= 3 and len(other) >= 3 and term[0] == other[0] and _close(term, other)


def expand(words: list[Word]) -> None:
    """Fill each word's alternatives with variants the index's vocabulary holds."""
    segmented = {w.term: segmentations(w.token) for w in words}
    prefixed = {w.term: attached(w.token) - {w.term} for w in words}
    cut = {w.term: splits(w.token) for w in words}
    candidates = {w.term for w in words}
    for w in words:
        candidates |= segmented[w.term] | prefixed[w.term]
        candidates |= {part for pair in cut[w.term] for part in pair}
    df = vocabulary.frequencies(candidates)
    present = {t for found in segmented.values() for t in found if t in df}
    mates = vocabulary.same_skeleton({w.term for w in words} | present)
    for w in words:
        w.df = df.get(w.term, 0)
        found: dict[Alternative, int] = {}
        for term in sorted(segmented[w.term] | {w.term}):
            if term in df and term != w.term:
                found[(term,)] = df[term]
            for mate, mate_df in mates.get(vocabulary.skeleton(term), []):
                if mate != w.term and len(mate) >= 3 and _close(mate, term):
                    found.setdefault((mate,), mate_df)
        # Other prepositions on the same word: only as the index holds them, no mates.
        for term in sorted(prefixed[w.term]):
            if term in df:
                found.setdefault((term,), df[term])
        pairs = [(a, b) for a, b in cut[w.term] if df.get(a, 0) >= 2 and df.get(b, 0) >= 2]
        if pairs and w.df == 0:
            best = max(pairs, key=lambda p: min(df[p[0]], df[p[1]]))
            found[best] = min(df[best[0]], df[best[1]])
        ranked = sorted(found, key=lambda alt: -found[alt])[:MAX_ALTERNATIVES]
        w.alternatives = [(w.term,), *ranked]
        w.df = max(w.df, *found.values()) if found else w.df


def joined(words: list[Word]) -> list[tuple[int, str]]:
    """Positions of adjacent words written apart that the index holds as one word."""
    candidates = [(i, stem(words[i].token + words[i + 1].token)) for i in range(len(words) - 1)]
    df = vocabulary.frequencies(term for _, term in candidates)
    return [(i, term) for i, term in candidates if df.get(term, 0) >= 2]


def variant_slots(words: list[Word]) -> list[Slot]:
    """One slot per word (its alternatives), two written-apart words joined when known."""
    slots: list[Slot] = [tuple(w.alternatives) for w in words]
    for i, term in reversed(joined(words)):
        if i + 1 < len(slots):
            apart = (words[i].term, words[i + 1].term)
            slots[i : i + 2] = [((term,), apart)]
    return slots


def weights(slots: list[Slot], documents: int, df: dict[str, int]) -> tuple[float, ...]:
    """BM25 IDF of each slot, from the summed frequency of its alternatives."""
    out = []
    for slot in slots:
        total = sum(min((df.get(t, 0) for t in alt), default=0) for alt in slot)
        out.append(vocabulary.idf(min(total, documents), max(documents, 1)))
    return tuple(out)
