"""`manage.py fetch_wire_feeds`: fetch every active agency feed into the desk's queue.

The workers do the same on a schedule (JARIDA_WIRE_FETCH_MINUTES, jarida.desk.tasks);
this command runs it at once, in this process, with `--enqueue` hands it to them.
"""

from django.core.management.base import BaseCommand, CommandError

from jarida.importers import wire


class Command(BaseCommand):
    help = "Fetch the active wire feeds (RSS, Atom, ninjs); new stories wait in the desk's queue."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, action="append", help="only this feed id")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the fetch for the task workers"
        )

    def handle(self, *args, feed, enqueue, verbosity, **options):
        if enqueue:
            from jarida.desk.tasks import fetch_wire_feeds

            result = fetch_wire_feeds.enqueue(feed)
            self.stdout.write(f"Queued wire fetch as task {result.id}.")
            return
        report, results = wire.fetch_and_record(feed)
        if verbosity:
            for result in results:
                self.stdout.write(result.summary())
        if report.failed:
            raise CommandError(f"{report.failed} feeds failed", returncode=1)
