"""The one Arabic analysis every search backend uses, at index time and at query time.

    text → core.arabic.normalize (tashkeel, tatweel, hamza, ى/ي, ة/ه, Persian letters,
           digits, case, invisible characters) → loanword spelling folding → word tokens
           (a one-letter conjunction or preposition written apart joins its word) → light
           stemming (clitic prefixes and suffixes) → index terms

Each step was kept because it raised Recall@10 on the known-item test set built from the
SaudiNewsNet corpus (`scripts/bench_search.py`; figures in docs/search.md).
"""

import re
from functools import lru_cache

from jarida.core.arabic import TOKEN_RE, normalize

# Light stemming in the manner of Larkey's light10 (Lucene's ArabicStemmer): strip one
# clitic prefix, then each listed suffix at most once, never leaving fewer than 2 letters.
# Snowball's Arabic stemmer was measured too: it keeps و+ال (والحكومة → والحكوم) and
# over-strips (تعاونا → تعا), and found fewer articles (docs/search.md).
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
# A final ا goes first: tanween's alef (تعاوناً → تعاونا) must meet the same stem as تعاون.
_SUFFIXES = ("ا", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")

# Loanword spellings that differ between papers, and within one page of the seed
# (الاميركية beside الأمريكي, الستراتيجية for الاستراتيجية, اسوشيتدبرس beside اسوشييتدبرس):
# each pair below occurs in the SaudiNewsNet corpus in both spellings. Applied to the
# normalised text before tokenising, so two-word spellings (فيس بوك) fold too.
LOANWORD_SPELLINGS = [
    (r"امريك", "اميرك"),
    (r"(?<!ا)ستراتيج", "استراتيج"),
    (r"ديموقراط", "ديمقراط"),
    (r"فايروس", "فيروس"),
    (r"انكلتر", "انجلتر"),
    (r"انكليز", "انجليز"),
    (r"اورب(?!ي?ل)", "اوروب"),
    (r"توتير", "تويتر"),
    (r"كومبيوتر", "كمبيوتر"),
    (r"تليفزيون", "تلفزيون"),
    (r"غوغل|قوقل", "جوجل"),
    (r"لوجيست", "لوجست"),
    (r"موبيل", "موبايل"),
    (r"بروتكول", "بروتوكول"),
    (r"يوتوب", "يوتيوب"),
    (r"مارثون", "ماراثون"),
    (r"اسوشييتد", "اسوشيتد"),
    (r"اسوشيتد برس", "اسوشيتدبرس"),
    (r"فيس بوك", "فيسبوك"),
    (r"كيلو متر", "كيلومتر"),
]
# The text each spelling needs (its pattern without lookarounds, split at `|`): a spelling
# whose text is absent cannot match, so only the present ones go into the regex. Same
# matches as one regex of all twenty, at a small part of the cost on long bodies.
_NEEDLES = [
    tuple(re.sub(r"\(\?<?[=!][^)]*\)", "", pattern).split("|")) for pattern, _ in LOANWORD_SPELLINGS
]


@lru_cache(maxsize=1024)
def _loanword_re(present: tuple[int, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?P<v{i}>{LOANWORD_SPELLINGS[i][0]})" for i in present))


def fold_loanwords(normalised: str) -> str:
    """Rewrite known loanword spelling variants to one spelling."""
    present = tuple(
        i for i, needles in enumerate(_NEEDLES) if any(n in normalised for n in needles)
    )
    if not present:
        return normalised
    return _loanword_re(present).sub(
        lambda m: LOANWORD_SPELLINGS[int(m.lastgroup[1:])][1], normalised
    )


#: Stems of the tokens met (a plain dict: cheaper per look-up than lru_cache, and a body
#: looks up every one of its words). Emptied when full, so memory stays bounded.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 200_000


def stem(token: str) -> str:
    """Light-stem one normalised token (digits and Latin words pass through)."""
    found = _STEMS.get(token)
    if found is None:
        if len(_STEMS) >= _STEMS_MAX:
            _STEMS.clear()
        found = _STEMS[token] = _light_stem(token)
    return found


def _light_stem(token: str) -> str:
    if not token[0].isalpha() or token.isascii():
        return token
    word = token
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) > len(prefix) + 1:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            word = word[: -len(suffix)]
    return word


# A conjunction or preposition written apart from its word (و يفرض, لـ داعش once tatweel is
# gone): joined to the next word, as the same phrase written together is analysed.
_DETACHED = re.compile(r"(?<!\w)([وفبلك]) +(?=[^\W\d_])")


def words(text: str) -> list[str]:
    """Normalised tokens, loanword spellings folded and detached clitics joined."""
    return TOKEN_RE.findall(_DETACHED.sub(r"\1", fold_loanwords(normalize(text))))


def analyze(text: str) -> list[str]:
    """Index terms for a text, in order (duplicates kept: frequency matters to ranking)."""
    tokens = words(text)
    # Straight from the stems met before (most of a body's words); stemmed only if one is new.
    terms = list(map(_STEMS.get, tokens))
    return list(map(stem, tokens)) if None in terms else terms


def query_words(query: str, max_terms: int = 32) -> list[tuple[str, str]]:
    """(normalised token, term) of each distinct term of a reader's query, in order."""
    found = {}
    for token in words(query[:2000]):
        found.setdefault(stem(token), token)
    return [(token, term) for term, token in found.items()][:max_terms]


def query_terms(query: str, max_terms: int = 32) -> list[str]:
    """Distinct terms of a reader's query, in order; operators and punctuation are gone."""
    seen = dict.fromkeys(analyze(query[:2000]))
    return list(seen)[:max_terms]
