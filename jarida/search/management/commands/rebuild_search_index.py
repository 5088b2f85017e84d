"""`manage.py rebuild_search_index`: index every article again, with a progress bar.

Batched (one short transaction a batch): the newsroom keeps saving while it runs, and
readers keep finding stories. `--enqueue` hands the rebuild to a task worker instead.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from jarida.articles.models import Article
from jarida.search.backends import get_backend
from jarida.search.services import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the articles table."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be indexed; change nothing."
        )
        parser.add_argument("--enqueue", action="store_true", help="run it on a task worker")

    def handle(self, *args, batch_size, dry_run, enqueue, verbosity, **options):
        total = Article.objects.count()
        backend = type(get_backend()).__name__
        if dry_run:
            self.stdout.write(f"Would index {total} articles with {backend}.")
            return
        if enqueue:
            from jarida.search.tasks import rebuild_index as rebuild_task

            result = rebuild_task.enqueue(batch_size)
            self.stdout.write(f"Queued the rebuild of {total} articles as task {result.id}.")
            return
        with tqdm(total=total, unit="مقال", disable=verbosity == 0, file=self.stderr._out) as bar:
            done = rebuild_index(batch_size=batch_size, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {done} articles with {backend}."))
