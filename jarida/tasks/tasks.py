"""The queue's own upkeep, run as tasks like the rest."""

from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

BATCH = 1000


@task
def prune_task_results() -> int:
    """Delete finished task rows older than JARIDA_TASKS_KEEP_DAYS, a batch at a time."""
    cutoff = timezone.now() - timedelta(days=settings.JARIDA_TASKS_KEEP_DAYS)
    deleted = 0
    while True:
        ids = list(
            DBTaskResult.objects.finished()
            .filter(finished_at__lt=cutoff)
            .values_list("id", flat=True)[:BATCH]
        )
        if not ids:
            return deleted
        deleted += DBTaskResult.objects.filter(id__in=ids).delete()[0]
