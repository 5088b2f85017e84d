"""The embedded default's file cache counts right when several worker processes count."""

import multiprocessing

from django.test import RequestFactory

from jarida.comments.limits import over_limit
from jarida.core.cache import ExpiringFileCache


def _count(location: str, times: int) -> None:
    cache = ExpiringFileCache(location, {})
    for _ in range(times):
        cache.add("hits", 0, 600)
        cache.incr("hits")


def test_increments_from_many_processes_are_never_lost(tmp_path):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_count, args=(str(tmp_path), 50)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert ExpiringFileCache(str(tmp_path), {}).get("hits") == 400


def test_incr_keeps_the_entry_expiry(tmp_path):
    import time_machine

    cache = ExpiringFileCache(str(tmp_path), {})
    with time_machine.travel(1_700_000_000, tick=False) as clock:
        cache.set("n", 1, 60)
        clock.shift(50)
        assert cache.incr("n") == 2
        clock.shift(11)  # past the first minute: gone, as the counter's window is
        assert cache.get("n") is None


def _post(results, address: str) -> None:
    request = RequestFactory().post("/comments/", REMOTE_ADDR=address)
    results.put(over_limit(request))


def test_concurrent_posts_from_one_address_stop_at_the_limit():
    """Twenty processes post at once: exactly COMMENTS_RATE_PER_IP (5) get through, on
    the configured rate-limit cache (files, or Redis on the scale-out pass)."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_post, args=(results, "203.0.113.77")) for _ in range(20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    refused = [results.get(timeout=5) for _ in workers]
    assert refused.count(False) == 5
