"""Readiness checks: each answers (ok, details) and never raises; the reason is in details."""

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.tasks import task_backends
from django.utils import timezone

from jarida.core.schema import unapplied_migrations


@dataclass
class Check:
    ok: bool
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"ok": self.ok, **self.details}


def _error(error: Exception) -> str:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}"[:300]


def database(alias: str = "default") -> Check:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # A broken connection must not stay in this thread for the next request.
        connections[alias].close_if_unusable_or_obsolete()
        return Check(False, {"error": _error(error)})
    return Check(True, {"vendor": connections[alias].vendor})


_migrations_ok = False


def migrations(alias: str = "default") -> Check:
    """Unapplied migrations: new code on an old schema. Remembered once they are applied."""
    global _migrations_ok
    if _migrations_ok:
        return Check(True)
    try:
        pending = unapplied_migrations(alias)
    except Exception as error:
        return Check(False, {"error": _error(error)})
    if pending:
        return Check(False, {"error": f"{len(pending)} unapplied", "unapplied": pending[:10]})
    _migrations_ok = True
    return Check(True)


def cache(alias: str) -> Check:
    """Write a value and read it back: a cache that swallows errors (Redis down) shows here."""
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    backend = caches[alias]
    try:
        backend.set(key, value, 10)
        read = backend.get(key)
        backend.delete(key)
    except Exception as error:
        return Check(False, {"error": _error(error)})
    name = type(backend).__name__
    if read != value:
        return Check(False, {"backend": name, "error": "a value written was not read back"})
    return Check(True, {"backend": name})


def tasks(alias: str = "default") -> Check:
    """The task backend, and for the database queue its depth and live workers.

    Never fails readiness: readers are served without a worker; a queue that grows with
    no live worker is for the alerts (docs/tasks.md), not for the load balancer.
    """
    backend = task_backends[alias]
    name = type(backend).__name__
    if name == "ImmediateBackend":
        return Check(True, {"backend": "immediate", "queue": "none: tasks run in the request"})
    if name != "DatabaseBackend":
        return Check(True, {"backend": name})
    try:
        from django_tasks_db.models import DBTaskResult

        from jarida.tasks.recovery import live_workers

        ready = DBTaskResult.objects.ready().filter(backend_name=alias)
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        details = {
            "backend": "database",
            "ready": ready.count(),
            "running": DBTaskResult.objects.running().filter(backend_name=alias).count(),
            "workers": len(live_workers()),
            "oldest_ready_seconds": round((timezone.now() - oldest).total_seconds())
            if oldest
            else 0,
        }
    except Exception as error:
        return Check(True, {"backend": "database", "error": _error(error)})
    return Check(True, details)


def disk(path: Path, min_free_mb: int) -> Check:
    try:
        usage = shutil.disk_usage(path)
    except OSError as error:
        return Check(False, {"error": _error(error)})
    free_mb = usage.free // (1024 * 1024)
    details = {"path": str(path), "free_mb": free_mb, "min_free_mb": min_free_mb}
    if free_mb < min_free_mb:
        return Check(False, details | {"error": f"{free_mb} MB free, below {min_free_mb} MB"})
    return Check(True, details)


def readiness() -> dict[str, Check]:
    """Every check a load balancer should wait for before sending readers here."""
    results = {"database": database()}
    results["migrations"] = (
        migrations() if results["database"].ok else Check(False, {"error": "no database"})
    )
    for alias in settings.CACHES:
        results["cache" if alias == "default" else f"cache:{alias}"] = cache(alias)
    results["tasks"] = tasks()
    results["disk"] = disk(Path(settings.DATA_DIR), settings.JARIDA_HEALTH_MIN_FREE_MB)
    return results
