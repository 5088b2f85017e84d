"""`manage.py import_wxr FILE`: import a WordPress export (posts, comments, old links)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jarida.importers.management.commands._progress import (
    existing_file,
    finish,
    progress_bar,
    time_zone,
)
from jarida.importers.wxr import DEFAULT_SECTION, WxrOptions, import_wxr


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.0-1.2). Safe to rerun: what is there is skipped."

    def add_arguments(self, parser):
        parser.add_argument("file", type=existing_file, help="the .xml (or .xml.gz) export")
        parser.add_argument(
            "--time-zone",
            default=settings.TIME_ZONE,
            help="zone of dates without one (default: the site's TIME_ZONE)",
        )
        parser.add_argument(
            "--section",
            default=DEFAULT_SECTION[0],
            help="section slug for posts without a category (default: %(default)s)",
        )
        parser.add_argument(
            "--update", action="store_true", help="rewrite posts imported before from this file"
        )
        parser.add_argument(
            "--media-host",
            action="append",
            dest="media_hosts",
            help="host featured images may be fetched from (repeatable; "
            "default: JARIDA_IMPORT_MEDIA_HOSTS)",
        )

    def handle(self, *args, file, section, update, media_hosts, verbosity, **options):
        import_options = WxrOptions(
            time_zone=time_zone(options["time_zone"]),
            default_section=section,
            update=update,
            media_hosts=frozenset(media_hosts or settings.JARIDA_IMPORT_MEDIA_HOSTS),
        )
        with progress_bar(self, file, verbosity) as advance:
            report = import_wxr(file, import_options, progress=advance)
        finish(self, report)
