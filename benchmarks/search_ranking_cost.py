"""What the shared ranking costs: each query searched under every setting in turn.

    .venv/bin/python benchmarks/search_ranking_cost.py      # on a kept index (see below)

Runs on the scratch index `search_backends.py --keep` left (SQLite in JARIDA_DATA_DIR,
or DATABASE_URL). Both query sets go through `services.search` once per setting: each
engine's own order (`SHARED_RANKING` off) and the shared ranking over its best 50, 100
and 200. The settings take turns query by query, so the machine's load (shared with
other work) weighs on all of them alike: compare the ratios, not the milliseconds.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "jarida.settings"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from search_testset import build_testset, load_corpus  # noqa: E402
from search_testset_natural import build_natural_testset  # noqa: E402

from jarida.articles.models import Article  # noqa: E402
from jarida.search import services  # noqa: E402
from jarida.search.backends.base import SearchQuery  # noqa: E402

SETTINGS = {"own order": (False, 0), "shared, 50": (True, 50), "shared, 100": (True, 100)}
SETTINGS["shared, 200"] = (True, 200)


def main():
    articles = load_corpus()
    if Article.objects.count() != len(articles):
        sys.exit("no kept index: run search_backends.py --keep on this database first")
    texts = [q.text for q in build_testset(articles) + build_natural_testset(articles)]
    timings = {name: [] for name in SETTINGS}
    names = list(SETTINGS)
    for i, text in enumerate(texts):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            services.SHARED_RANKING, services.RESCORED = SETTINGS[name]
            started = time.perf_counter()
            services.search(SearchQuery(text))
            timings[name].append(1000 * (time.perf_counter() - started))
    base = statistics.median(timings["own order"])
    print(f"{connection.vendor}, {len(texts)} queries, service call, ms (load: see uptime)")
    for name, values in timings.items():
        values.sort()
        p95 = values[int(0.95 * len(values))]
        median = statistics.median(values)
        print(
            f"{name:12} p50 {median:6.1f}  p95 {p95:6.1f}  mean {statistics.mean(values):6.1f}"
            f"  p50 ratio {median / base:.2f}"
        )


if __name__ == "__main__":
    main()
