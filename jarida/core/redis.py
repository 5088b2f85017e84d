"""A Redis client that stops asking a Redis that does not answer (a circuit breaker).

With Redis frozen (not down: a stopped process, a saturated host), every cache call waits
out its socket timeout, and a page makes several cache calls: seconds per request. After
a call times out or cannot connect, this client answers every call at once with a
connection error for BREAK_SECONDS (django-redis with IGNORE_EXCEPTIONS turns that into a
cache miss), then lets one call through to try again. The state is per process and per
server address.
"""

import threading
import time
from functools import cached_property

import redis

BREAK_SECONDS = 5.0
_open_until: dict[str, float] = {}
_lock = threading.Lock()


class CircuitBreakerRedis(redis.Redis):
    """redis.Redis that fails fast for a few seconds after the server stops answering."""

    @cached_property
    def _breaker_key(self) -> str:
        kwargs = self.connection_pool.connection_kwargs
        return f"{kwargs.get('host')}:{kwargs.get('port')}/{kwargs.get('db')}"

    def execute_command(self, *args, **options):
        key = self._breaker_key
        if _open_until.get(key, 0.0) > time.monotonic():
            raise redis.ConnectionError(f"Redis at {key} is not answering; not asked again yet")
        try:
            return super().execute_command(*args, **options)
        except (redis.ConnectionError, redis.TimeoutError):
            with _lock:
                _open_until[key] = time.monotonic() + BREAK_SECONDS
            raise
