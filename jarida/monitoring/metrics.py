"""Prometheus metrics: request latency per route, search latency, page cache, imports.

With several worker processes (granian --workers N) every process writes its values to
files in PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode) and the
/metrics endpoint adds them up; without it the process's own registry is served.
"""

import os
import time
from functools import wraps

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUEST_SECONDS = Histogram(
    "jarida_http_request_duration_seconds",
    "Time from the request reaching Django to the response, by URL pattern.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
SEARCH_SECONDS = Histogram(
    "jarida_search_duration_seconds",
    "Time one search takes in the search service (backend queries and ranking).",
    buckets=LATENCY_BUCKETS,
)
PAGE_CACHE = Counter(
    "jarida_page_cache_requests",
    "Anonymous reader pages asked of the page cache, by result: hit, stale (served while "
    "another request rebuilds it) or miss (rendered).",
    ["result"],
)
IMPORT_ITEMS = Counter(
    "jarida_import_items",
    "Items finished by importers, by kind of import and outcome.",
    ["kind", "outcome"],
)
IMPORT_BYTES_READ = Gauge(
    "jarida_import_bytes_read",
    "How far a running or finished import has read its file.",
    ["file"],
    multiprocess_mode="mostrecent",
)
IMPORT_BYTES_TOTAL = Gauge(
    "jarida_import_bytes_total",
    "The size of the file an import reads.",
    ["file"],
    multiprocess_mode="mostrecent",
)

# Django's task framework (django.tasks): counted from its signals, whatever the backend.
# The embedded default runs tasks at once (no queue to be deep); a queued backend shows
# its depth as enqueued minus started.
TASKS = Counter(
    "jarida_tasks",
    "Tasks by event (enqueued, started, finished) and final status (SUCCESSFUL, FAILED).",
    ["task", "event", "status"],
)


def count_task(event: str, task_result) -> None:
    status = str(task_result.status) if event == "finished" else ""
    TASKS.labels(task_result.task.name, event, status).inc()


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)


def count_page_cache(result: str) -> None:
    """For the page cache to call on each lookup: "hit", "stale" or "miss"."""
    PAGE_CACHE.labels(result).inc()


EDGE_PURGES = Counter(
    "jarida_edge_purges",
    "Purges sent to the edge (CDN, nginx, Varnish) by backend and outcome (sent, failed, "
    "recorded: what the default backend would have purged), counted in keys and URLs.",
    ["backend", "outcome", "kind"],
)


def count_purge(backend: str, outcome: str, keys: int, urls: int) -> None:
    if keys:
        EDGE_PURGES.labels(backend, outcome, "keys").inc(keys)
    if urls:
        EDGE_PURGES.labels(backend, outcome, "urls").inc(urls)


def timed_search(function):
    """Decorate the search service so each call's duration is observed."""

    @wraps(function)
    def wrapped(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SEARCH_SECONDS.observe(time.perf_counter() - started)

    return wrapped


def import_progress(file: str, done: int, total: int) -> None:
    IMPORT_BYTES_READ.labels(file).set(done)
    IMPORT_BYTES_TOTAL.labels(file).set(total)


def count_import(kind: str, created: int, updated: int, skipped: int, failed: int) -> None:
    for outcome, count in (
        ("created", created),
        ("updated", updated),
        ("skipped", skipped),
        ("failed", failed),
    ):
        if count:
            IMPORT_ITEMS.labels(kind, outcome).inc(count)


def exposition() -> tuple[bytes, str]:
    """The text exposition of every metric, added up over worker processes if there are any."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
