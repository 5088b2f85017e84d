"""Enqueueing work from inside a save: the one API the rest of Jarida uses.

Declare a task with Django's own decorator, in the app's `tasks.py`:

    from django.tasks import task

    @task
    def purge_urls(urls: list[str]) -> None: ...

and enqueue it from a save with `enqueue_on_commit(purge_urls, urls)` (or, for work on a
set of ids that many saves in one transaction may touch, `enqueue_ids_on_commit`). Both
make the task exist exactly when the caller's transaction commits:

- On the database backend (django-tasks-db, the default) the task row is written inside
  the caller's transaction: it commits with the article or rolls back with it, and no
  worker sees it before the commit (a transactional outbox: a process dying right after
  the commit cannot lose it).
- On any other backend (immediate, a broker) the enqueue waits for
  `transaction.on_commit`, so the task never runs against uncommitted rows.

Outside a transaction both enqueue at once. Arguments must be JSON (ids, not instances):
the task reads the current rows when it runs, which makes running it twice harmless.
"""

import logging
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction
from django.tasks import Task

logger = logging.getLogger(__name__)


def is_transactional(task: Task) -> bool:
    """Does the task's backend store tasks in the database, inside the caller's transaction?"""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_on_commit(task: Task, *args, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Enqueue `task(*args, **kwargs)` if and when the current transaction commits."""
    if is_transactional(task):
        task.enqueue(*args, **kwargs)
    else:
        # robust: a broker that is down costs the task (logged), never the committed save.
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs), using=using, robust=True)


@dataclass
class _Batch:
    task: Task
    ids: set = field(default_factory=set)
    result_id: str | None = None  # the database backend's row, while it is still ours

    def flush(self) -> None:
        self.task.enqueue(sorted(self.ids))


def enqueue_ids_on_commit(task: Task, ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """Enqueue `task(sorted ids)` once per transaction, with every id given in it.

    An editor's save touches an article several times (row, bylines, tags, revision);
    one task with the union of the ids runs instead of one per signal.
    """
    ids = {int(pk) for pk in ids}
    if not ids:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        task.enqueue(sorted(ids))
        return
    batches = connection.__dict__.setdefault("_jarida_task_batches", {})
    batch = batches.get(task.module_path)
    if is_transactional(task):
        if batch is not None and batch.result_id is not None:
            # Only a row still waiting in this transaction is widened; one already run, or
            # gone with a rolled-back transaction, leaves its ids behind (never carried on).
            grown = ids | batch.ids
            if _grow_database_row(batch.result_id, grown):
                batch.ids = grown
                return
        result = task.enqueue(sorted(ids))
        batch = batches[task.module_path] = _Batch(task, ids, result.id)
        # Once committed the row belongs to the workers: the next transaction starts afresh.
        transaction.on_commit(
            lambda: (
                batches.pop(task.module_path, None)
                if batches.get(task.module_path) is batch
                else None
            ),
            using=using,
        )
        return
    if batch is None or not any(entry[1] == batch.flush for entry in connection.run_on_commit):
        # No batch yet, or the last one was dropped with a rolled-back transaction.
        batch = batches[task.module_path] = _Batch(task)
        transaction.on_commit(batch.flush, using=using, robust=True)
        transaction.on_commit(lambda: batches.pop(task.module_path, None), using=using)
    batch.ids |= ids


def _grow_database_row(result_id: str, ids: set) -> bool:
    """Widen a task row this transaction wrote; False when it is gone (rolled back)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return bool(
        DBTaskResult.objects.filter(id=result_id, status=TaskResultStatus.READY).update(
            args_kwargs={"args": [sorted(ids)], "kwargs": {}}
        )
    )
