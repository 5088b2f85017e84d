"""Search quality on the known-item test set: Recall@10 and MRR per kind of variation.

    .venv/bin/python benchmarks/search_quality.py [--per-kind 50] [--articles N] [--show 3]

Compares, in one run and on the same corpus, a plain FTS5 baseline (`unicode61
remove_diacritics 2` on the raw text) with each step of Jarida's analysis added in turn,
ending with the product's pipeline (`jarida.search.analysis.analyze`) and its bm25
weights. Needs ../shared/data/saudinewsnet (research licence: read, never copied).
"""

import argparse
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import Stemmer
from search_testset import CORPUS, KINDS, build_testset, load_corpus

from jarida.core.arabic import tokenize
from jarida.search import analysis
from jarida.search.backends.sqlite_fts5 import BODY_WEIGHT, TITLE_WEIGHT

_snowball = Stemmer.Stemmer("arabic")


def _snowball_stems(text):
    return _snowball.stemWords(tokenize(text))


def _light_only(text):
    return [analysis.stem(t) for t in tokenize(text)]


# Each system: (how the FTS5 table tokenises, how text becomes terms).
SYSTEMS = {
    "baseline unicode61": ("unicode61 remove_diacritics 2", None),
    "+ normalise": ("unicode61 remove_diacritics 0", tokenize),
    "+ snowball stem": (
        "unicode61 remove_diacritics 0",
        lambda t: _snowball.stemWords(tokenize(t)),
    ),
    "+ light stem": ("unicode61 remove_diacritics 0", _light_only),
    "jarida (+ loanwords)": ("unicode61 remove_diacritics 0", analysis.analyze),
}


def build_index(articles, tokenizer, analyse):
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize = '{tokenizer}')")
    rows = (
        (
            i,
            a["title"] if analyse is None else " ".join(analyse(a["title"])),
            a["content"] if analyse is None else " ".join(analyse(a["content"])),
        )
        for i, a in enumerate(articles)
    )
    db.executemany("INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)", rows)
    return db


def run_query(db, analyse, text, k=10):
    if analyse is None:
        terms = [w for w in text.split() if w]
    else:
        terms = list(dict.fromkeys(analyse(text)))
    if not terms:
        return []
    match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
    rank = f"bm25(f, {TITLE_WEIGHT}, {BODY_WEIGHT})"
    sql = f"SELECT rowid FROM f WHERE f MATCH ? ORDER BY {rank} LIMIT ?"
    return [row[0] for row in db.execute(sql, (match, k))]


def evaluate(db, analyse, queries, index_of):
    per_kind = defaultdict(lambda: [0, 0.0, 0])
    started = time.perf_counter()
    for q in queries:
        ranked = run_query(db, analyse, q.text)
        target = index_of[q.target]
        stats = per_kind[q.kind]
        stats[2] += 1
        if target in ranked:
            stats[0] += 1
            stats[1] += 1 / (ranked.index(target) + 1)
    elapsed = time.perf_counter() - started
    return {k: (hits / n, rr / n) for k, (hits, rr, n) in per_kind.items()}, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=50)
    parser.add_argument("--articles", type=int, default=0, help="use only the first N")
    parser.add_argument("--show", type=int, default=0, help="print N sample queries per kind")
    parser.add_argument("--misses", action="store_true", help="print the product's misses")
    parser.add_argument("--only", help="run only the systems whose name contains this")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: this benchmark reads the research corpus from ../shared")

    articles = load_corpus()
    if args.articles:
        articles = articles[: args.articles]
    queries = build_testset(articles, per_kind=args.per_kind)
    index_of = {a["url"]: i for i, a in enumerate(articles)}
    print(f"{len(articles)} articles, {len(queries)} queries ({args.per_kind} per kind)\n")
    if args.show:
        for kind in KINDS:
            samples = [q.text for q in queries if q.kind == kind][: args.show]
            print(f"  {kind:13} " + " | ".join(samples))
        print()

    results = {}
    systems = {n: s for n, s in SYSTEMS.items() if not args.only or args.only in n}
    for name, (tokenizer, analyse) in systems.items():
        started = time.perf_counter()
        db = build_index(articles, tokenizer, analyse)
        built = time.perf_counter() - started
        scores, elapsed = evaluate(db, analyse, queries, index_of)
        results[name] = scores
        print(
            f"{name:22} index {built:5.1f} s, "
            f"{len(queries) / elapsed:6.0f} queries/s ({1000 * elapsed / len(queries):.2f} ms each)"
        )
        if args.misses and analyse is analysis.analyze:
            for q in queries:
                if index_of[q.target] not in run_query(db, analyse, q.text):
                    print(
                        f"    miss [{q.kind}] {q.text}  <- {articles[index_of[q.target]]['title']}"
                    )

    print("\nRecall@10 / MRR per kind")
    names = list(systems)
    print(f"{'kind':13}" + "".join(f"{n:>24}" for n in names))
    for kind in [*KINDS, "overall"]:
        cells = []
        for name in names:
            scores = results[name]
            if kind == "overall":
                recall = sum(s[0] for s in scores.values()) / len(scores)
                mrr = sum(s[1] for s in scores.values()) / len(scores)
            else:
                recall, mrr = scores[kind]
            cells.append(f"{recall:.3f} / {mrr:.3f}")
        print(f"{kind:13}" + "".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()
