"""What a page-cache hit costs, with surrogate-key versions, on the shared caches users run.

    .venv/bin/python benchmarks/page_cache_hits.py                      # file cache
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python benchmarks/page_cache_hits.py

A fresh data directory with the demo paper (SQLite), the page cache on. For each page:
CPU time per request of a cache hit through Django's test client (middleware included),
beside two references measured in the same run: the bare `caches["pages"].get` of that
page's entry (what any whole-page cache must pay), and the page rendered with the cache
off. Prints the number of surrogate keys each page checks and the ratios.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 300


def cpu_per_call(function, rounds=ROUNDS) -> float:
    function()
    started = time.process_time()
    for _ in range(rounds):
        function()
    return (time.process_time() - started) / rounds * 1000


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-bench-"))
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    # The test settings: plain static files (no collectstatic manifest needed), same caches.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client, override_settings

    from jarida.articles.models import Article, Section
    from jarida.reader.page_cache import _key

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    for alias in caches:
        backend = caches[alias]
        backend.delete_pattern("*") if hasattr(backend, "delete_pattern") else backend.clear()
    article = Article.objects.published().select_related("section").first()
    section = Section.objects.filter(articles__in=Article.objects.published()).first()
    pages = {
        "home": "/",
        "section": section.get_absolute_url(),
        "article": article.get_absolute_url(),
        "feed": "/feed/",
    }
    client = Client()
    print(f"cache: {type(caches['pages']).__name__}, {ROUNDS} rounds, CPU ms per request")
    print(f"{'page':8}{'keys':>6}{'hit':>9}{'bare get':>10}{'no cache':>10}{'hit/get':>9}")
    from django.test import RequestFactory

    for name, url in pages.items():
        with override_settings(JARIDA_PAGE_CACHE_SECONDS=300):
            first = client.get(url)
            assert first.status_code == 200, (url, first.status_code)
            keys = len(first["Surrogate-Key"].split())
            hit = cpu_per_call(lambda url=url: client.get(url))
            entry_key = _key(RequestFactory().get(url), "page" if name == "section" else None)
            bare = cpu_per_call(lambda k=entry_key: caches["pages"].get(k))
        with override_settings(JARIDA_PAGE_CACHE_SECONDS=0):
            uncached = cpu_per_call(lambda url=url: client.get(url), rounds=50)
        print(f"{name:8}{keys:>6}{hit:>9.2f}{bare:>10.2f}{uncached:>10.2f}{hit / bare:>9.1f}")
    for alias in caches:  # on Redis, this run's keys only (tests.settings prefixes them)
        backend = caches[alias]
        backend.delete_pattern("*") if hasattr(backend, "delete_pattern") else backend.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
