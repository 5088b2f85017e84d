"""The embedded default's shared cache: Django's file cache, made safe for counters and
culling expired entries first.

Django's FileBasedCache never deletes an expired file until someone reads that very key,
and when a directory holds more than MAX_ENTRIES files it deletes a random third of them,
live or not. Each alias (pages, rate-limit counters, the rest) has its own directory and
limit (jarida/config.py), so pages cannot push out counters; this class also makes a cull
drop what has already expired before it touches anything live.

Its `incr` and `add` are read-then-write in Django, so two worker processes counting the
same comment at once could both read 4 and both write 5, letting posts past a rate
limit. Here both run under an exclusive lock (flock on one of a fixed set of lock files,
so the number of files stays bounded), and `incr` keeps the entry's expiry.
"""

import fcntl
import os
import pickle
import time
import zlib
from contextlib import contextmanager
from hashlib import md5

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

LOCK_FILES = 64


class ExpiringFileCache(FileBasedCache):
    """FileBasedCache with atomic counters whose cull removes expired entries first."""

    def _cull(self):
        filelist = self._list_cache_files()
        if len(filelist) < self._max_entries:
            return
        live = 0
        for name in filelist:
            try:
                with open(name, "rb") as handle:
                    live += not self._is_expired(handle)  # deletes the file when expired
            except FileNotFoundError:
                pass  # another process culled it first
        if live >= self._max_entries:
            super()._cull()  # still full of live entries: Django's own rule

    @contextmanager
    def _locked(self, key, version):
        """Hold an exclusive lock shared by every process using this cache folder."""
        name = self.make_and_validate_key(key, version=version)
        slot = int(md5(name.encode(), usedforsecurity=False).hexdigest(), 16) % LOCK_FILES
        self._createdir()
        fd = os.open(os.path.join(self._dir, f"lock-{slot:02d}"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._locked(key, version):
            expiry, value = self._read_with_expiry(key, version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            remaining = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, value, remaining, version)
            return value

    def _read_with_expiry(self, key, version):
        try:
            with open(self._key_to_file(key, version), "rb") as handle:
                if self._is_expired(handle):
                    return None, None
                handle.seek(0)
                expiry = pickle.load(handle)
                return expiry, pickle.loads(zlib.decompress(handle.read()))
        except FileNotFoundError:
            return None, None
