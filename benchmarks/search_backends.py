"""Search through the product's own backend, end to end: recall, latency, and agreement.

    .venv/bin/python benchmarks/search_backends.py                  # SQLite FTS5 (temp dir)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/search_backends.py               # PostgreSQL

Loads the SaudiNewsNet corpus into a scratch database (bulk insert, then
`rebuild_search_index`'s code path), runs the known-item test set through
`jarida.search.services.search` and prints Recall@10, MRR and latency per query.
Result ids are saved under /tmp so that a second run on the other database prints how
many queries return the same top-10 set on both.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
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
from search_testset import CORPUS, KINDS, build_testset, load_corpus  # noqa: E402

from jarida.articles.models import Article, Section  # noqa: E402
from jarida.search import services  # noqa: E402
from jarida.search import signals as search_signals  # noqa: E402
from jarida.search.backends.base import SearchQuery  # noqa: E402

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


def main():
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: this benchmark reads the research corpus from ../shared")
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    articles = load_corpus()
    queries = build_testset(articles)

    started = time.perf_counter()
    if "--reuse" in sys.argv and Article.objects.count() == len(articles):
        pk_of = dict(Article.objects.values_list("external_id", "pk"))
    else:
        Article.objects.all().delete()
        pk_of = load(articles)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
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

    per_kind = defaultdict(lambda: [0, 0.0, 0])
    timings, results = [], {}
    for q in queries:
        t0 = time.perf_counter()
        page = services.search(SearchQuery(q.text, limit=10))
        timings.append(1000 * (time.perf_counter() - t0))
        results[f"{q.kind}:{q.text}"] = (page.total, page.article_ids)
        stats = per_kind[q.kind]
        stats[2] += 1
        target = pk_of[q.target]
        if target in page.article_ids:
            stats[0] += 1
            stats[1] += 1 / (page.article_ids.index(target) + 1)

    timings.sort()
    p = lambda f: timings[min(len(timings) - 1, int(f * len(timings)))]  # noqa: E731
    print(
        f"latency per query (count + top 200 + re-rank): p50 {p(0.5):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, mean {statistics.mean(timings):.1f} ms"
    )
    print(f"{'kind':13}{'Recall@10':>11}{'MRR':>8}")
    recalls = []
    for kind in KINDS:
        hits, rr, n = per_kind[kind]
        recalls.append(hits / n)
        print(f"{kind:13}{hits / n:11.3f}{rr / n:8.3f}")
    print(f"{'overall':13}{sum(recalls) / len(recalls):11.3f}")

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
