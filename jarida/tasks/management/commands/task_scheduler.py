"""`manage.py task_scheduler`: enqueue periodic tasks when due, nothing else.

Workers already tick the schedule; this process is for deployments whose workers do not
(`task_worker --no-schedule`), or that want the schedule on a machine of its own. Any
number may run: each due run is claimed once in the database (jarida.tasks.schedule).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jarida.tasks import schedule


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (wire fetching, pruning…) when they are due."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *, once, verbosity, **options):
        while True:
            close_old_connections()
            for name in schedule.tick():
                if verbosity:
                    self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(settings.JARIDA_TASKS_HEARTBEAT_SECONDS)
