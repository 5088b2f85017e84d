"""`manage.py fetch_wire_feeds`: fetch every active agency feed into the desk's queue."""

from django.core.management.base import BaseCommand, CommandError

from jarida.desk.models import WireFeed
from jarida.importers import wire
from jarida.importers.models import ImportRun
from jarida.importers.runs import ImportReport, recorded_run


class Command(BaseCommand):
    help = "Fetch the active wire feeds (RSS, Atom, ninjs); new stories wait in the desk's queue."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, action="append", help="only this feed id")

    def handle(self, *args, feed, verbosity, **options):
        feeds = WireFeed.objects.filter(is_active=True).select_related("agency")
        if feed:
            feeds = feeds.filter(pk__in=feed)
        report = ImportReport()
        with recorded_run(ImportRun.Kind.WIRE, "wire feeds", report):
            for result in wire.fetch_feeds(feeds):
                report.created += result.new
                report.skipped += result.duplicates
                report.tally[f"{result.feed.name}: new"] += result.new
                for failure in result.failures:
                    report.warn(f"{result.feed.name}: {failure['item']}", failure["reason"])
                if result.error:
                    report.fail(result.feed.name, result.error)
                if verbosity:
                    self.stdout.write(result.summary())
        if report.failed:
            raise CommandError(f"{report.failed} feeds failed", returncode=1)
