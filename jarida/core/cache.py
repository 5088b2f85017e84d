"""The embedded default's shared cache: Django's file cache, culling expired entries first.

Django's FileBasedCache never deletes an expired file until someone reads that very key,
and when a directory holds more than MAX_ENTRIES files it deletes a random third of them,
live or not. Each alias (pages, rate-limit counters, the rest) has its own directory and
limit (jarida/config.py), so pages cannot push out counters; this class also makes a cull
drop what has already expired before it touches anything live.
"""

from django.core.cache.backends.filebased import FileBasedCache


class ExpiringFileCache(FileBasedCache):
    """FileBasedCache whose cull removes expired entries before live ones."""

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
