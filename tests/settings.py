"""Settings for the test suite: the real settings, with fast and isolated choices.

DATABASE_URL and REDIS_URL still select PostgreSQL and Redis, so `make test` runs the
suite a second time on the scaled-out path.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-tests-"))

from jarida.settings import *  # noqa: F403
from jarida.settings import CACHES, STATIC_ROOT

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The caches users run (files in this run's data directory, or Redis on the scale-out pass),
# never an in-memory stand-in: its limits and evictions are not theirs. On Redis each run
# keeps to keys of its own.
if "REDIS_URL" in os.environ:
    # Inherited by processes a test starts (a second app server), so they share the keys.
    run = os.environ.setdefault("JARIDA_TEST_RUN", str(os.getpid()))
    for alias in CACHES.values():
        alias["KEY_PREFIX"] = f"{alias['KEY_PREFIX']}-test-{run}"
        # A loaded CI machine must not trip the circuit breaker mid-test (its own test
        # freezes a Redis of its own with the production timeouts).
        alias["OPTIONS"]["SOCKET_TIMEOUT"] = alias["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] = 5

# Pages render fresh in tests (query counts measure the real work); the page cache's own
# tests turn it on.
JARIDA_PAGE_CACHE_SECONDS = 0
