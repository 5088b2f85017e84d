"""Search through the product's own backend, end to end: recall, latency, and agreement.

    .venv/bin/python benchmarks/search_backends.py                  # SQLite FTS5 (temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/search_backends.py               # PostgreSQL

Loads the SaudiNewsNet corpus into a scratch database (bulk insert, then
`rebuild_search_index`'s code path), runs the known-item test set through
`jarida.search.services.search` and prints Recall@10, MRR and latency per query.
`--http URL` sends the queries to a server running on the same database instead
(with `--reuse --keep`). `--misses` prints the development half's misses; `--keep`
leaves the articles for a later run with `--reuse` (articles and index kept) or
`--reindex` (index rebuilt).
Result ids are saved under /tmp so that a second run on the other database prints how
many queries return the same top-10 set on both.
"""

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "jarida.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from search_testset import CORPUS, build_testset, load_corpus, score_table, split  # noqa: E402
from search_testset_natural import build_natural_testset  # noqa: E402

from jarida.articles.models import Article, Section  # noqa: E402
from jarida.search import query, scoring, services  # noqa: E402
from jarida.search import signals as search_signals  # noqa: E402
from jarida.search.backends.base import SearchPage, SearchQuery  # noqa: E402
from jarida.search.query import STEPS  # noqa: E402

RIYADH = ZoneInfo("Asia/Riyadh")


def load(articles):
    section, _ = Section.objects.get_or_create(slug="saudinewsnet", name="SaudiNewsNet")
    # Bulk insert skips post_save; the index is built afterwards in one pass.
    post_save.disconnect(search_signals.article_saved, sender=Article)
    rows = [
        Article(
            title=a["title"][:300],
            slug=str(i),
            body="".join(f"<p>{p}</p>" for p in a["content"].split("\n") if p.strip()),
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=datetime.fromisoformat(a["date"]).replace(tzinfo=RIYADH),
            external_id=a["url"],
        )
        for i, a in enumerate(articles)
    ]
    Article.objects.bulk_create(rows, batch_size=2000)
    return dict(Article.objects.values_list("external_id", "pk"))


def over_http(base_url: str, text: str) -> SearchPage:
    """The API's answer as a page (its step is not part of the API)."""
    url = f"{base_url}/api/v1/search?" + urllib.parse.urlencode({"q": text, "limit": 10})
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    return SearchPage([r["id"] for r in body["results"]], body["total"], stage="http")


def switch_off(rule: str) -> None:
    """Measure a rule's worth: `--without RULE`, RULE one of skeleton, clitics, split,
    join, drop, one-missing, title-rule (go on when no match of a full page holds the
    words in its title), widen-variants (that rule after the strict step only), near-title
    (no credit for a near spelling in a title), attached (no other preposition on the same
    word), shared-ranking (each engine's own relevance order)."""
    if rule == "skeleton":
        query.vocabulary.same_skeleton = lambda terms, per_term=40: {}
    elif rule == "clitics":
        query.segmentations = lambda token: set()
    elif rule == "split":
        query.splits = lambda token: []
    elif rule == "join":
        query.joined = lambda words: []
    elif rule == "title-rule":
        services.WIDENED = ()
    elif rule == "widen-variants":
        services.WIDENED = ("all",)
    elif rule == "near-title":
        scoring.NEAR_TITLE = 0
    elif rule == "attached":
        query.attached = lambda token: set()
    elif rule == "one-missing":
        services.ONE_MISSING_UP_TO = 0
    elif rule == "drop":
        original = services._steps
        services._steps = lambda words, backend, *args, **options: (
            (name, match)
            for name, match in original(words, backend, *args, **options)
            if name != "drop"
        )
    elif rule == "shared-ranking":
        services.SHARED_RANKING = False
    else:
        sys.exit(f"unknown rule {rule}")


def main():
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: this benchmark reads the research corpus from ../shared")
    vendor = connection.vendor
    if "--without" in sys.argv:
        switch_off(sys.argv[sys.argv.index("--without") + 1])
    # --set services.RESCORED=200, --set scoring.B=0.5: a parameter tried on the dev half.
    for i, arg in enumerate(sys.argv):
        if arg == "--set":
            name, value = sys.argv[i + 1].split("=")
            module, attribute = name.split(".")
            number = float(value)
            number = int(number) if number.is_integer() else number
            setattr({"services": services, "scoring": scoring}[module], attribute, number)
    call_command("migrate", verbosity=0)
    articles = load_corpus()

    started = time.perf_counter()
    reuse = "--reuse" in sys.argv or "--reindex" in sys.argv
    if reuse and Article.objects.count() == len(articles):
        pk_of = dict(Article.objects.values_list("external_id", "pk"))
    else:
        Article.objects.all().delete()
        pk_of = load(articles)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    # --reuse keeps the last run's articles and index; --reindex keeps only the articles.
    indexed = 0 if "--reuse" in sys.argv else services.rebuild_index(batch_size=1000)
    if vendor == "postgresql":
        # As autovacuum would after a bulk load: the planner needs real statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    print(
        f"{vendor}: {len(articles)} articles loaded in {loaded:.1f} s, "
        f"indexed {indexed} in {built:.1f} s",
        flush=True,
    )

    # --http URL: the same queries through a running server's /api/v1/search (same data).
    http = sys.argv[sys.argv.index("--http") + 1].rstrip("/") if "--http" in sys.argv else None
    sets = {
        "generated": build_testset(articles),
        "natural": build_natural_testset(articles),
    }
    results, timings, stages, found_by, widened = {}, [], Counter(), Counter(), 0
    for set_name, queries in sets.items():
        for half_name, half in zip(("dev", "held-out"), split(queries), strict=True):
            ranks = defaultdict(list)
            for q in half:
                t0 = time.perf_counter()
                page = over_http(http, q.text) if http else services.search(SearchQuery(q.text))
                timings.append(1000 * (time.perf_counter() - t0))
                stages[page.stage] += 1
                widened += page.widened
                target_step = page.found_by.get(pk_of[q.target])
                found_by[target_step or "missed"] += 1
                results[f"{set_name}:{q.kind}:{q.text}"] = (page.total, page.article_ids)
                target = pk_of[q.target]
                found = page.article_ids.index(target) + 1 if target in page.article_ids else None
                ranks[q.kind].append(found)
                if found is None and half_name == "dev" and "--misses" in sys.argv:
                    # Only the development half is ever looked at closely.
                    print(f"  miss [{set_name} {q.kind}] {q.text} ({page.stage}, {page.total})")
            print(f"\n{set_name} set, {half_name} half")
            kinds = dict.fromkeys(q.kind for q in queries)
            print("\n".join(score_table(ranks, kinds)))

    timings.sort()
    p = lambda f: timings[min(len(timings) - 1, int(f * len(timings)))]  # noqa: E731
    print(
        f"\nlatency per query ({len(timings)} queries, {'HTTP' if http else 'service call'}): "
        f"p50 {p(0.5):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, mean {statistics.mean(timings):.1f} ms"
    )
    if http:
        return  # the steps are not part of the API's answer
    # A step fires when every step before it found fewer than a page.
    reached = {
        s: sum(n for t, n in stages.items() if STEPS.index(t) >= STEPS.index(s)) for s in STEPS
    }
    print("step fires on:  " + ", ".join(f"{s} {n / len(timings):.1%}" for s, n in reached.items()))
    print(f"a full strict page without the words in a title went on: {widened / len(timings):.1%}")
    print(
        "wanted article found by: "
        + ", ".join(f"{s} {found_by[s] / len(timings):.1%}" for s in [*STEPS, "missed"])
    )

    # Agreement with the other backend's last run (ids are corpus urls, stable across DBs).
    url_of = {pk: url for url, pk in pk_of.items()}
    mine = {k: (total, [url_of[i] for i in ids]) for k, (total, ids) in results.items()}
    out = Path(tempfile.gettempdir()) / f"jarida-search-{vendor}.json"
    out.write_text(json.dumps(mine, ensure_ascii=False))
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[vendor]
    other_file = Path(tempfile.gettempdir()) / f"jarida-search-{other}.json"
    if other_file.exists():
        theirs = {k: (t, ids) for k, (t, ids) in json.loads(other_file.read_text()).items()}
        same_total = sum(mine[k][0] == theirs.get(k, (None,))[0] for k in mine)
        same_set = sum(set(mine[k][1]) == set(theirs.get(k, (0, []))[1]) for k in mine)
        same_top = sum(mine[k][1][:1] == theirs.get(k, (0, []))[1][:1] for k in mine)
        print(
            f"agreement with {other}: same number of matches {same_total}/{len(mine)}, "
            f"same top-10 set {same_set}/{len(mine)}, same first result {same_top}/{len(mine)}"
        )
    if "--keep" not in sys.argv:
        Article.objects.all().delete()


if __name__ == "__main__":
    main()
