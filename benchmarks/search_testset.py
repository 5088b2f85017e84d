"""A known-item test set for Arabic search, generated from the SaudiNewsNet corpus.

Each query is made from words of one article's title (the article readers want back),
then varied the way readers and papers vary Arabic spelling. A fixed seed makes the set
the same on every run; `python benchmarks/search_quality.py --show N` prints samples of
each kind for reading.
"""

import gzip
import hashlib
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "articles.ndjson.gz"
)

HARAKAT = "\u064e\u064f\u0650\u064b\u064c\u064d\u0651\u0652"
STOPWORDS = set(
    [
        "في",
        "من",
        "على",
        "إلى",
        "الى",
        "عن",
        "مع",
        "أن",
        "ان",
        "إن",
        "هذا",
        "هذه",
        "التي",
        "الذي",
        "الذين",
        "بعد",
        "قبل",
        "حتى",
        "كل",
        "أو",
        "او",
        "ما",
        "لا",
        "لم",
        "لن",
        "قد",
        "كان",
        "كانت",
        "عند",
        "بين",
        "خلال",
        "حول",
        "ضد",
        "دون",
        "غير",
        "ثم",
        "هو",
        "هي",
        "هم",
        "أي",
        "اي",
        "منذ",
        "عبر",
        "لدى",
        "يتم",
    ]
)
# Letters that join to the next one (tatweel can only sit between joining letters).
JOINING = set("بتثجحخسشصضطظعغفقكلمنهيئ")
# A word with whatever harakat it carries (shadda inside مغرّدون must not split it).
WORD = re.compile(r"[\u0621-\u064a][\u0621-\u0652\u0670]*")

# Loanword spellings seen in both forms in the corpus (the analyser folds each pair).
LOANWORD_PAIRS = [
    ("أمريك", "أميرك"), ("أميرك", "أمريك"), ("امريك", "اميرك"), ("اميرك", "امريك"),
    ("استراتيج", "ستراتيج"), ("ديمقراط", "ديموقراط"), ("فيروس", "فايروس"),
    ("إنجلتر", "انكلتر"), ("انجلتر", "انكلتر"), ("أوروب", "أورب"), ("اوروب", "اورب"),
    ("تويتر", "توتير"), ("كمبيوتر", "كومبيوتر"), ("تلفزيون", "تليفزيون"),
    ("جوجل", "غوغل"), ("غوغل", "جوجل"), ("موبايل", "موبيل"), ("لوجست", "لوجيست"),
    ("بروتوكول", "بروتكول"), ("يوتيوب", "يوتوب"), ("ماراثون", "مارثون"),
]  # fmt: skip

KINDS = (
    "plain", "hamza", "ta_marbuta", "alef_maqsura", "tashkeel", "tatweel", "clitics",
    "plural", "loanword", "digits",
)  # fmt: skip


@dataclass(frozen=True)
class TestQuery:
    kind: str
    text: str
    target: str  # the wanted article's url


def load_corpus(path: Path = CORPUS) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _vary(kind: str, word: str, rng: random.Random) -> str | None:
    """The word as a reader might type it for this kind, or None when it does not apply."""
    if kind == "hamza":
        if re.search("[أإآ]", word):
            return re.sub("[أإآ]", "ا", word)
        if word.startswith("ال") and len(word) > 4 and word[2] == "ا":
            return word[:2] + "أ" + word[3:]
    elif kind == "ta_marbuta" and len(word) > 3:
        if word.endswith("ة"):
            return word[:-1] + "ه"
    elif kind == "alef_maqsura" and len(word) > 2:
        if word.endswith("ى"):
            return word[:-1] + "ي"
        if word.endswith("ي") and len(word) > 3:
            return word[:-1] + "ى"
    elif kind == "tashkeel" and len(word) > 2:
        letters = list(word)
        for i in rng.sample(range(len(letters)), k=min(3, len(letters))):
            letters[i] += rng.choice(HARAKAT)
        return "".join(letters)
    elif kind == "tatweel":
        spots = [i for i in range(1, len(word) - 1) if word[i] in JOINING]
        if spots:
            i = rng.choice(spots)
            return word[: i + 1] + "ـ" * rng.randint(1, 4) + word[i + 1 :]
    elif kind == "clitics" and len(word) > 3:
        # Attached conjunctions, prepositions and the article, added or dropped.
        if word.startswith(("وال", "بال", "فال")):
            return word[1:]
        if word.startswith("لل"):
            return "ال" + word[2:]
        if word.startswith("ال"):
            return rng.choice(["و", "ب", "ف"]) + word if rng.random() < 0.6 else word[2:]
        if not word.startswith(("و", "ب", "ل", "ف", "ك")):
            return rng.choice(["و", "ال", "بال", "لل"]) + word
    elif kind == "plural" and len(word) > 4:
        if word.endswith("ات"):
            return word[:-2] + "ة"
        if word.endswith("ة"):
            return word[:-1] + "ات"
        if word.endswith("ين") or word.endswith("ون"):
            return word[:-2]
    elif kind == "loanword":
        for old, new in LOANWORD_PAIRS:
            if old in word:
                return word.replace(old, new)
    return None


def _digits_query(title: str) -> str | None:
    if not re.search(r"\d", title):
        return None
    table = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "٠١٢٣٤٥٦٧٨٩0123456789")
    return title.translate(table)


def build_testset(
    articles: list[dict], per_kind: int = 50, seed: int = 20261129
) -> list[TestQuery]:
    """`per_kind` queries of every kind, each wanting back one article with a unique title."""
    rng = random.Random(seed)
    title_counts = Counter(a["title"] for a in articles)
    df = Counter(w for a in articles for w in set(WORD.findall(a["title"])))
    pool = [a for a in articles if title_counts[a["title"]] == 1 and len(a["content"]) > 300]
    rng.shuffle(pool)
    queries: list[TestQuery] = []
    for kind in KINDS:
        made = 0
        for article in pool:
            if made == per_kind:
                break
            words = [w for w in WORD.findall(article["title"]) if w not in STOPWORDS and len(w) > 2]
            if len(words) < 3:
                continue
            # Three distinctive title words, in title order: what a reader remembers.
            chosen = sorted(sorted(words, key=lambda w: df[w])[:3], key=words.index)
            if kind == "plain":
                text = " ".join(chosen)
            elif kind == "digits":
                numbers = re.findall(r"[0-9٠-٩]+", article["title"])
                if not numbers:
                    continue
                text = " ".join([*chosen[:2], _digits_query(rng.choice(numbers))])
            else:
                varied = [(i, _vary(kind, w, rng)) for i, w in enumerate(chosen)]
                varied = [(i, v) for i, v in varied if v and v != chosen[i]]
                if not varied:
                    continue
                i, v = rng.choice(varied)
                text = " ".join(v if j == i else w for j, w in enumerate(chosen))
            queries.append(TestQuery(kind, text, article["url"]))
            made += 1
        rng.shuffle(pool)
    return queries


def is_held_out(query: TestQuery) -> bool:
    """Half of the targets, fixed by a hash of the url: reported only, never tuned on."""
    return hashlib.sha1(query.target.encode()).digest()[0] % 2 == 1


def split(queries: list[TestQuery]) -> tuple[list[TestQuery], list[TestQuery]]:
    """(development half, held-out half) of a query set, split by target article."""
    return [q for q in queries if not is_held_out(q)], [q for q in queries if is_held_out(q)]


def score_table(hits: dict[str, list[int | None]], kinds) -> list[str]:
    """Lines of Recall@10 and MRR@10 per kind from each query's rank (None: not in top 10)."""
    lines = [f"{'kind':16}{'n':>5}{'Recall@10':>11}{'MRR@10':>9}"]
    all_ranks = []
    for kind in kinds:
        ranks = hits.get(kind, [])
        if not ranks:
            continue
        all_ranks += ranks
        lines.append(f"{kind:16}{len(ranks):5}" + _scores(ranks))
    lines.append(f"{'overall':16}{len(all_ranks):5}" + _scores(all_ranks))
    return lines


def _scores(ranks):
    recall = sum(r is not None for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return f"{recall:11.3f}{mrr:9.3f}"
