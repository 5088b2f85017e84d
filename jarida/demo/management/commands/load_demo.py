"""`manage.py load_demo`: the demo paper, written for Jarida (never the research corpus)."""

from django.core.management.base import BaseCommand

from jarida.articles.models import Article
from jarida.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo paper (sections, staff, agencies, articles, images). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has articles (used by `make run`).",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            if options["verbosity"] > 1:
                self.stdout.write("The site already has articles; demo not loaded.")
            return
        report = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(report.created)} created, {len(report.updated)} updated."
            )
        )
