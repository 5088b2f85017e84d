"""Tasks lost with a killed worker go back to the queue.

django-tasks-db marks a task RUNNING in a committed transaction when a worker claims it
and only changes it again when the task ends, so a worker killed mid-task (SIGKILL, OOM,
a machine that died) leaves the row RUNNING for ever. Every Jarida worker writes a
heartbeat row every few seconds (`WorkerHeartbeat`); a RUNNING task whose last worker has
not beaten for `stale_after` seconds is put back to READY and runs again. Delivery is
therefore at least once: Jarida's tasks are written to be idempotent (they take ids and
bring derived data in line with the current rows).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jarida.tasks.models import WorkerHeartbeat

logger = logging.getLogger("jarida.tasks")


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JARIDA_TASKS_STALE_SECONDS)


def live_workers(now=None) -> set[str]:
    now = now or timezone.now()
    return set(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - stale_after()).values_list(
            "worker_id", flat=True
        )
    )


def recover_lost_tasks(now=None) -> list[str]:
    """Put RUNNING tasks of dead workers back in the queue; return their ids."""
    now = now or timezone.now()
    recovered = []
    with transaction.atomic():
        alive = live_workers(now)
        # Only rows that have run for longer than a heartbeat's grace: a task claimed a
        # moment ago by a worker whose first beat is on its way is left alone.
        running = (
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=now - stale_after())
            .only("id", "worker_ids", "task_path")
        )
        for row in running:
            if row.worker_ids and row.worker_ids[-1] in alive:
                continue
            recovered.append(str(row.id))
            logger.warning(
                "Task %s (%s) was running on worker %s, which stopped beating: queued again",
                row.id,
                row.task_path,
                row.worker_ids[-1] if row.worker_ids else "?",
            )
        if recovered:
            DBTaskResult.objects.filter(id__in=recovered).update(
                status=TaskResultStatus.READY, started_at=None
            )
        # Heartbeats of workers long gone are of no more use.
        WorkerHeartbeat.objects.filter(beat_at__lt=now - 10 * stale_after()).delete()
    return recovered
