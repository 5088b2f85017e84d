"""`manage.py task_worker`: run queued tasks until stopped (SIGTERM finishes the task first).

django-tasks-db's `db_worker` with Jarida's housekeeping: heartbeats, recovery of tasks
left RUNNING by a killed worker, and the periodic schedule (`--no-schedule` to leave it to
`manage.py task_scheduler`). Run as many as you like, on as many machines as share the
database: a task is claimed with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL.
"""

from django.core.management.base import BaseCommand

from jarida.tasks.worker import JaridaWorker, new_worker_id


class Command(BaseCommand):
    help = "Run queued background tasks (search indexing, renditions, wire fetching…)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="*", help="comma-separated; * for all")
        # An idle worker looks for work this often: it bounds how late an edge purge
        # starts after a publication (one small indexed query each time).
        parser.add_argument("--interval", type=float, default=0.25, help="idle poll, seconds")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--worker-id", default=None, help="unique; default host-pid-random")
        parser.add_argument(
            "--no-schedule", dest="schedule", action="store_false",
            help="do not enqueue periodic tasks (a task_scheduler process does)",
        )  # fmt: skip

    def handle(self, *, queue_name, interval, batch, max_tasks, worker_id, schedule, **options):
        worker = JaridaWorker(
            run_schedule=schedule,
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=(worker_id or new_worker_id())[:64],
            excluded_queue_names=[],
        )
        self.stdout.write(f"task worker {worker.worker_id} started", ending="\n")
        self.stdout.flush()
        worker.configure_signals()
        worker.run()
