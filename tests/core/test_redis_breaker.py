"""A frozen Redis costs one short timeout, not seconds on every cache call."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django_redis.cache import RedisCache

from jarida.config import cache_config
from jarida.core import redis as breaker

pytestmark = pytest.mark.scaleout


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own, which it may freeze (SIGSTOP) and thaw."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield process, port
    os.kill(process.pid, signal.SIGCONT)
    process.terminate()
    process.wait(10)


def test_a_frozen_redis_is_asked_once_then_skipped_until_it_answers(own_redis, monkeypatch):
    process, port = own_redis
    config = cache_config(f"redis://127.0.0.1:{port}/0", None)["default"]
    cache = RedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"], "KEY_PREFIX": "t"})
    cache.set("probe", "قيمة", 60)
    assert cache.get("probe") == "قيمة"

    os.kill(process.pid, signal.SIGSTOP)
    began = time.monotonic()
    answers = [cache.get("probe") for _ in range(20)]
    elapsed = time.monotonic() - began
    assert answers == [None] * 20  # misses, never an exception
    assert elapsed < 1.5  # one timeout (0.5 s), then no waiting at all

    os.kill(process.pid, signal.SIGCONT)
    monkeypatch.setattr(breaker, "BREAK_SECONDS", 0.0)
    breaker._open_until.clear()
    assert cache.get("probe") == "قيمة"
