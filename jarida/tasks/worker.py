"""Jarida's worker: django-tasks-db's worker loop plus a housekeeping thread.

The thread beats (`WorkerHeartbeat`) every JARIDA_TASKS_HEARTBEAT_SECONDS, puts the
tasks of workers that stopped beating back in the queue (jarida.tasks.recovery) and ticks
the periodic schedule (jarida.tasks.schedule). It works in its own database connection,
so a long task never delays a beat.
"""

import logging
import os
import socket
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jarida.tasks import recovery, schedule
from jarida.tasks.models import WorkerHeartbeat

logger = logging.getLogger("jarida.tasks")


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },
    )


class Housekeeping(threading.Thread):
    def __init__(self, worker_id: str, started_at, run_schedule: bool):
        super().__init__(name="jarida-task-housekeeping", daemon=True)
        self.worker_id, self.started_at, self.run_schedule = worker_id, started_at, run_schedule
        self.stopped = threading.Event()

    def run(self):
        every = settings.JARIDA_TASKS_HEARTBEAT_SECONDS
        try:
            while not self.stopped.wait(every):
                self.once()
        finally:
            connection.close()

    def once(self):
        try:
            close_old_connections()
            beat(self.worker_id, self.started_at)
            recovery.recover_lost_tasks()
            if self.run_schedule:
                schedule.tick()
        except OperationalError as error:
            # A SQLite file locked by a long task's write, a database restart: the next
            # round tries again (a worker is only taken for dead after several misses).
            logger.warning("Task worker housekeeping skipped a round: %s", error)
        except Exception:
            logger.exception("Task worker housekeeping failed; retrying")

    def stop(self):
        self.stopped.set()


class JaridaWorker(Worker):
    def __init__(self, *, run_schedule: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.run_schedule = run_schedule

    def run(self) -> None:
        started_at = timezone.now()
        # Beat before the first claim, and recover what a predecessor left RUNNING.
        beat(self.worker_id, started_at)
        recovery.recover_lost_tasks()
        if self.run_schedule:
            schedule.tick()
        housekeeping = Housekeeping(self.worker_id, started_at, self.run_schedule)
        housekeeping.start()
        try:
            super().run()
        finally:
            housekeeping.stop()
            housekeeping.join(timeout=5)
            # A worker that stops cleanly holds no task: its heartbeat can go.
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def run_queued_tasks(backend_name: str = "default", max_tasks: int | None = None) -> int:
    """Run what is queued now, in this process, and return how many ran (tests, scripts).

    The worker's own claim (locked row, RUNNING, worker id) and `run_task`, without the
    heartbeats, the schedule or the connection recycling of a long-running process.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=new_worker_id(),
        excluded_queue_names=[],
    )
    while max_tasks is None or worker._run_tasks < max_tasks:
        with exclusive_transaction():
            row = DBTaskResult.objects.ready().filter(backend_name=backend_name).get_locked()
            if row is None:
                break
            row.claim(worker.worker_id)
        worker.run_task(row)
    return worker._run_tasks
