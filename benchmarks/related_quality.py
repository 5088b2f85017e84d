"""Related-story quality on SaudiNewsNet: is the same story from another paper in the top 4?

    nice .venv/bin/python benchmarks/related_quality.py [--articles N] [--queries 1000]

Fourteen papers covered the same three weeks of news (July-August 2015), so many stories
appear in two or more papers. For an article whose story another paper also carried,
the other paper's article is the most related story there is: this counts how often one
of them is among the 4 related stories the product would store.

How the pairs are found (two ways, independent of the related-story scoring):
* **title pairs**: different papers, titles with the same set of normalised words (the
  search's normalisation: hamza, ta marbuta, alef maqsura, tashkeel folded), at least 4
  words, published within 3 days of each other;
* **text pairs**: different papers, not a title pair, and body text overlapping strongly:
  Jaccard >= 0.3 on the sampled 5-word shingles of their normalised words (one shingle in
  8 kept by hash, so the overlap is estimated, as MinHash-style samplers do).

The scoring is the product's (`jarida.related.selection`: signature, score, rank). The
candidate step is done in memory here: every article holding a signature term, the 100
best by summed signature weight, standing for the search backend's `best()` with the
same terms and IDF weights (the backends rank with BM25 / ts_rank, a little differently).
The weights in `selection` were set before this was first run and not tuned on it; the
figure to quote is the text pairs' (the title pairs share their titles' words, which
the title weight favours). Baseline, same run: the story's title as an any-word query,
ranked by summed IDF of the matched title words (a naive "more like this").

Needs ../shared/data/saudinewsnet (research licence: read, never copied).
"""

import argparse
import gzip
import json
import random
import sys
import time
import zlib
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jarida.related import selection
from jarida.search.analysis import analyze, words

CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet" / "articles.ndjson.gz"
)
RIYADH = ZoneInfo("Asia/Riyadh")
TOP = 4
CANDIDATES = 100


def load(path: Path, limit: int | None) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for _, line in zip(range(limit or 10**9), handle, strict=False)]
    for doc in docs:
        doc["when"] = datetime.fromisoformat(doc["date"]).replace(tzinfo=RIYADH)
    return docs


def title_pairs(docs) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, doc in enumerate(docs):
        key = frozenset(words(doc["title"]))
        if len(key) >= 4:
            groups[key].append(i)
    pairs = set()
    for members in groups.values():
        for a in members:
            for b in members:
                if (
                    a < b
                    and docs[a]["source"] != docs[b]["source"]
                    and abs((docs[a]["when"] - docs[b]["when"]).days) <= 3
                ):
                    pairs.add((a, b))
    return pairs


def shingles(text: str) -> set[int]:
    tokens = words(text)
    found = set()
    for i in range(len(tokens) - 4):
        h = zlib.crc32(" ".join(tokens[i : i + 5]).encode())
        if h % 8 == 0:
            found.add(h)
    return found


def text_pairs(docs, exclude: set[tuple[int, int]], threshold: float = 0.3):
    sets = [shingles(doc["content"]) for doc in docs]
    postings = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            postings[h].append(i)
    shared = Counter()
    for members in postings.values():
        if len(members) > 50:
            continue  # boilerplate (a paper's sign-off): says nothing about the story
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                shared[(members[x], members[y])] += 1
    pairs = set()
    for (a, b), n in shared.items():
        if n < 3 or docs[a]["source"] == docs[b]["source"] or (a, b) in exclude:
            continue
        if n / len(sets[a] | sets[b]) >= threshold:
            pairs.add((a, b))
    return pairs


class Index:
    def __init__(self, docs):
        self.docs = docs
        self.counts = [selection.weighted_terms(d["title"], d["content"]) for d in docs]
        self.terms = [frozenset(analyze(f"{d['title']} {d['content']}")) for d in docs]
        self.df = Counter()
        for terms in self.terms:
            self.df.update(terms)
        self.postings = defaultdict(list)
        for i, terms in enumerate(self.terms):
            for t in terms:
                self.postings[t].append(i)
        self.n = len(docs)

    def related(self, i: int) -> list[int]:
        """The product's top 4 for article i (all other articles published)."""
        sig = selection.signature(self.counts[i], self.df, self.n)
        found = Counter()
        for term, weight in sig.items():
            for j in self.postings.get(term, ()):
                found[j] += weight
        found.pop(i, None)
        candidates = [
            selection.Candidate(j, self.terms[j], self.docs[j]["when"])
            for j, _ in found.most_common(CANDIDATES)
        ]
        ranked = selection.rank(sig, candidates, TOP, published_at=self.docs[i]["when"])
        return [j for j, _ in ranked]

    def baseline(self, i: int) -> list[int]:
        """The title as an any-word query, ranked by summed IDF of matched title terms."""
        found = Counter()
        for term in set(analyze(self.docs[i]["title"])):
            weight = selection.idf(self.df[term], self.n)
            for j in self.postings.get(term, ()):
                found[j] += weight
        found.pop(i, None)
        return [j for j, _ in found.most_common(TOP)]


def evaluate(index, pairs, queries: int, seed: int = 7):
    partners = defaultdict(set)
    for a, b in pairs:
        partners[a].add(b)
        partners[b].add(a)
    chosen = sorted(partners)
    random.Random(seed).shuffle(chosen)
    chosen = chosen[:queries]
    hits = {"jarida": 0, "baseline": 0}
    started = time.perf_counter()
    for i in chosen:
        hits["jarida"] += bool(partners[i] & set(index.related(i)))
        hits["baseline"] += bool(partners[i] & set(index.baseline(i)))
    per_query = (time.perf_counter() - started) / max(len(chosen), 1)
    return len(chosen), hits, per_query


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=None, help="first N articles only")
    parser.add_argument("--queries", type=int, default=1000, help="query articles per pair set")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"{CORPUS} is absent: nothing to measure.")
        return
    started = time.perf_counter()
    docs = load(CORPUS, args.articles)
    by_title = title_pairs(docs)
    by_text = text_pairs(docs, by_title)
    print(f"articles: {len(docs)}; title pairs: {len(by_title)}; text pairs: {len(by_text)}")
    index = Index(docs)
    print(f"analysed and indexed in {time.perf_counter() - started:.0f} s")
    for name, pairs in (("text pairs", by_text), ("title pairs", by_title)):
        n, hits, per_query = evaluate(index, pairs, args.queries)
        print(
            f"{name}: {n} query articles; partner in top {TOP}: "
            f"jarida {hits['jarida'] / max(n, 1):.1%}, "
            f"title-query baseline {hits['baseline'] / max(n, 1):.1%} "
            f"({per_query * 1000:.1f} ms per query for both)"
        )


if __name__ == "__main__":
    main()
