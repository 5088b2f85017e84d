"""Periodic tasks: what is due is enqueued once, whatever the number of workers.

`settings.JARIDA_TASKS_SCHEDULE` maps a name to (task path, seconds between runs; 0 is
off). Every worker ticks the schedule from its housekeeping thread, and so can a separate
`manage.py task_scheduler` (for a deployment whose workers run another backend). A run is
claimed by one conditional UPDATE of its `ScheduledJob` row (`next_run_at <= now`), so two
ticks at the same moment, on two machines, enqueue it once; on the database backend the
enqueue is in that same transaction.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jarida.tasks.models import ScheduledJob
from jarida.tasks.queue import enqueue_on_commit

logger = logging.getLogger("jarida.tasks")


def due_jobs() -> dict[str, tuple[str, int]]:
    return {name: job for name, job in settings.JARIDA_TASKS_SCHEDULE.items() if job[1] > 0}


def tick(now=None) -> list[str]:
    """Enqueue every periodic task that is due; return their names."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, seconds) in due_jobs().items():
        # First sight of a job: due at once (a fresh install fetches the wires now).
        # get_or_create takes care of two workers creating the row in the same instant.
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(name=name, next_run_at__lte=now).update(
                next_run_at=now + timedelta(seconds=seconds), last_enqueued_at=now
            )
            if claimed:
                enqueue_on_commit(import_string(path))
                enqueued.append(name)
    if enqueued:
        logger.info("Periodic tasks enqueued: %s", ", ".join(enqueued))
    return enqueued
