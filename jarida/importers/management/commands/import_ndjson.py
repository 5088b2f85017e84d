"""`manage.py import_ndjson FILE`: import a corpus of articles, one JSON object a line."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jarida.importers.management.commands._progress import (
    existing_file,
    finish,
    progress_bar,
    time_zone,
)
from jarida.importers.ndjson import NdjsonOptions, archive_name, import_ndjson


class Command(BaseCommand):
    help = (
        "Import .ndjson or .ndjson.gz articles (title, content, author, source, url, date), "
        "published at their date. Safe to rerun: urls already imported are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=existing_file)
        parser.add_argument(
            "--time-zone",
            default=settings.TIME_ZONE,
            help="zone of the file's dates (default: the site's TIME_ZONE)",
        )
        parser.add_argument(
            "--section", help="section slug (default: one named for the archive, created)"
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--update", action="store_true", help="rewrite articles imported before"
        )
        parser.add_argument(
            "--workers",
            type=int,
            # The text work costs about twice the writing (benchmarks/import_ndjson.py): two
            # workers beside the writer keep two cores busy.
            default=min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0,
            help="processes preparing the next batch's text and search terms "
            "(default: %(default)s; 0: none)",
        )

    def handle(self, *args, file, section, batch_size, update, workers, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        import_options = NdjsonOptions(
            section_slug=section,
            time_zone=time_zone(options["time_zone"]),
            batch_size=batch_size,
            update=update,
            workers=max(workers, 0),
        )
        if verbosity > 1:
            self.stdout.write(f"section: {section or archive_name(file)}")
        try:
            with progress_bar(self, file, verbosity) as advance:
                report = import_ndjson(file, import_options, progress=advance)
        except ValueError as error:
            raise CommandError(str(error)) from None
        finish(self, report)
