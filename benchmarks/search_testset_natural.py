"""A second known-item test set whose spelling variation comes from the papers themselves.

Method (independent of `search_testset.py` and of Jarida's analysis tables): the same
agency story appears in several papers of the corpus. Those near-duplicate pairs are
found by shingles that ignore spelling (a word is only its first letter and its length),
their texts are aligned word by word (difflib), and wherever two papers wrote the same
word differently in the same place, the pair of spellings is kept. A query is three of
an article's rarer title words with one word replaced by a spelling another paper used
for it; the kind of variation is read off the difference (hamza, ة/ه, clitics, a
transliteration, a split or joined word, another form of the word, ...).

No rule or table of Jarida's produced these spellings, and none of them may be copied
into one (docs/search.md). Every set is split by target into a development half and a
held-out half (`search_testset.split`).
"""

import difflib
import hashlib
import json
import random
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from search_testset import STOPWORDS, TestQuery

# Words as written, with their marks and tatweel, and numbers in either digit set.
TOKEN = re.compile(
    r"[\u0621-\u064a\u0671-\u06d3][\u0621-\u0652\u0640\u0670\u0671-\u06d3]*|[0-9٠-٩]+"
)
MARKS = re.compile("[\u064b-\u0652\u0670]")
HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ي", "ء": None})
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
# Clitics of standard Arabic grammar (conjunctions, prepositions, the article; pronouns).
PROCLITICS = sorted(
    {
        p + q
        for p in ("", "و", "ف")
        for q in ("", "ب", "ل", "ك", "ال", "بال", "كال", "لل", "س")
        if p + q
    },
    key=len,
    reverse=True,
)
ENCLITICS = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي", "ني")
LONG_VOWELS = set("اوي")
KINDS = (
    "plain", "hamza", "ta_marbuta", "alef_maqsura", "diacritics", "tatweel", "digits",
    "clitics", "transliteration", "long_vowels", "split_join", "morphology",
)  # fmt: skip
SHINGLE, SHARED = 5, 20


def _key(word: str) -> tuple[str, int]:
    bare = MARKS.sub("", word).replace("ـ", "")
    return (bare[:1].translate(HAMZA) or "ا", len(bare))


def near_duplicate_pairs(articles: list[dict], head: int = 150) -> list[tuple[int, int]]:
    """Pairs of articles from different papers sharing many spelling-blind shingles."""
    postings = defaultdict(list)
    for i, article in enumerate(articles):
        keys = [_key(w) for w in TOKEN.findall(article["content"])[:head]]
        for j in range(len(keys) - SHINGLE):
            postings[hash(tuple(keys[j : j + SHINGLE]))].append(i)
    shared = Counter()
    for ids in postings.values():
        ids = sorted(set(ids))
        if 1 < len(ids) < 6:
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    shared[ids[x], ids[y]] += 1
    return sorted(
        pair
        for pair, count in shared.items()
        if count >= SHARED and articles[pair[0]]["source"] != articles[pair[1]]["source"]
    )


def _fold(word: str) -> str:
    word = MARKS.sub("", word).replace("ـ", "").translate(HAMZA).translate(DIGITS)
    return re.sub("ة$", "ه", word).replace("ى", "ي")


def _vowel_skeleton_match(a: str, b: str) -> bool:
    """The same word once long vowels written or not and doubled letters are set aside."""

    def skeleton(w):
        return re.sub(r"(.)\1+", r"\1", "".join(c for c in w if c not in LONG_VOWELS))

    return skeleton(a) == skeleton(b) and a != b


_TRANSLIT_SUBS = [set("جغق"), set("كقج"), set("تط"), set("سص"), set("دض"), set("زذ"), set("فڤ")]


def _letter_swap(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and any({*diff[0]} <= group for group in _TRANSLIT_SUBS)


def classify(word: str, variant: str) -> str | None:
    """The kind of spelling variation between two words, or None (another word)."""
    if word == variant:
        return None
    steps = [
        ("diacritics", lambda w: MARKS.sub("", w)),
        ("tatweel", lambda w: w.replace("ـ", "")),
        ("hamza", lambda w: w.translate(HAMZA)),
        ("ta_marbuta", lambda w: re.sub("ة$", "ه", w)),
        ("alef_maqsura", lambda w: re.sub("ى$", "ي", w)),
        ("digits", lambda w: w.translate(DIGITS)),
    ]
    a, b = word, variant
    for kind, step in steps:
        a2, b2 = step(a), step(b)
        if a2 == b2:
            # The last fold that was needed names the kind; earlier ones rode along.
            return kind
        a, b = a2, b2
    a, b = _fold(word), _fold(variant)
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3:
        for p in PROCLITICS:
            for e in ("", *ENCLITICS):
                if long_ == p + short + e and (p or e):
                    return "clitics"
        if any(long_ == short + e for e in ENCLITICS):
            return "clitics"
    if len(short) >= 3 and _letter_swap(a, b):
        return "transliteration"
    if len(short) >= 3 and _vowel_skeleton_match(a, b):
        return "long_vowels"
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if len(short) >= 4 and ratio >= 0.75:
        return "morphology"
    return None


def harvest_variants(articles, pairs, head: int = 400) -> dict[str, Counter]:
    """word → spellings another paper used in the same place of the same story."""
    variants: dict[str, Counter] = defaultdict(Counter)
    vocabulary = Counter(_fold(w) for a in articles for w in set(TOKEN.findall(a["content"])))
    for i, j in pairs:
        a = TOKEN.findall(articles[i]["content"])[:head]
        b = TOKEN.findall(articles[j]["content"])[:head]
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op != "replace":
                continue
            left, right = a[a1:a2], b[b1:b2]
            if len(left) == len(right):
                for x, y in zip(left, right, strict=True):
                    if classify(x, y):
                        variants[x][y] += 1
                        variants[y][x] += 1
            elif len(left) + len(right) == 3:
                one, two = (left, right) if len(left) == 1 else (right, left)
                # Split words, not text broken inside a word: each part a word of its own.
                if _fold("".join(two)) == _fold(one[0]) and all(
                    vocabulary[_fold(part)] >= 20 or part.endswith("ـ") for part in two
                ):
                    variants[one[0]][" ".join(two)] += 1
                    variants[" ".join(two)][one[0]] += 1
    return variants


def _cached(articles, build):
    digest = hashlib.sha1(
        "".join(a["url"] for a in articles).encode() + str(len(articles)).encode()
    ).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"jarida-natural-{digest}.json"
    if path.exists():
        return json.loads(path.read_text())
    data = build()
    path.write_text(json.dumps(data, ensure_ascii=False))
    return data


def build_natural_testset(
    articles: list[dict], per_kind: int = 80, seed: int = 20261202
) -> list[TestQuery]:
    """Queries whose varied word is a spelling another paper really used for it."""

    def build():
        pairs = near_duplicate_pairs(articles)
        return {w: dict(c) for w, c in harvest_variants(articles, pairs).items()}

    variants = _cached(articles, build)
    rng = random.Random(seed)
    title_counts = Counter(a["title"] for a in articles)
    df = Counter(w for a in articles for w in set(TOKEN.findall(a["title"])))
    pool = [a for a in articles if title_counts[a["title"]] == 1 and len(a["content"]) > 300]
    rng.shuffle(pool)
    by_kind: dict[str, list[TestQuery]] = {kind: [] for kind in KINDS}
    for article in pool:
        words = [w for w in TOKEN.findall(article["title"]) if w not in STOPWORDS and len(w) > 2]
        if len(words) < 3:
            continue
        # Three of the five rarest title words, in title order.
        rare = sorted(dict.fromkeys(words), key=lambda w: (df[w], w))[:5]
        chosen = sorted(rng.sample(rare, k=min(3, len(rare))), key=words.index)
        if len(chosen) < 3:
            continue
        options = []
        for i, word in enumerate(chosen):
            for variant in sorted(variants.get(word, {})):
                kind = "split_join" if " " in variant or " " in word else classify(word, variant)
                if kind and len(by_kind[kind]) < per_kind:
                    options.append((kind, i, variant))
        if not options:
            if len(by_kind["plain"]) < per_kind:
                by_kind["plain"].append(TestQuery("plain", " ".join(chosen), article["url"]))
            continue
        # The scarcest kind first, so rare kinds fill up.
        fewest = min(len(by_kind[k]) for k, _, _ in options)
        kind, i, variant = rng.choice([o for o in options if len(by_kind[o[0]]) == fewest])
        text = " ".join(variant if j == i else w for j, w in enumerate(chosen))
        by_kind[kind].append(TestQuery(kind, text, article["url"]))
    return [q for kind in KINDS for q in by_kind[kind]]
