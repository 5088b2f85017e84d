"""Enqueueing from saves, recovery of lost tasks and the periodic schedule (in-process)."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.tasks.backends.dummy import DummyBackend
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jarida.articles import services as articles
from jarida.articles.models import Article
from jarida.config import tasks_config
from jarida.search import services as search
from jarida.search import tasks as search_tasks
from jarida.search.backends.base import SearchQuery
from jarida.tasks import recovery, schedule
from jarida.tasks.models import ScheduledJob, WorkerHeartbeat
from jarida.tasks.tasks import prune_task_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_queue(db):
    # Threads of earlier tests may have committed saves (and their tasks) for real.
    DBTaskResult.objects.all().delete()


def found(text: str) -> list[int]:
    return search.search(SearchQuery(text)).article_ids


def index_rows() -> list[DBTaskResult]:
    """The index tasks waiting for a worker."""
    return list(
        DBTaskResult.objects.filter(
            task_path=search_tasks.index_articles.module_path, status=TaskResultStatus.READY
        )
    )


def test_one_index_task_per_transaction_with_every_article_saved_in_it(make_article, run_tasks):
    first, second = make_article(), make_article()
    with transaction.atomic():
        for article in (first, second, first):
            article.title = f"تعديل {article.pk} لسوق الصفافير"
            articles.save_article(article)
    [row] = index_rows()
    assert row.args_kwargs == {"args": [sorted([first.pk, second.pk])], "kwargs": {}}
    assert found("الصفافير") == []  # not in the save: the worker indexes
    assert run_tasks() == 1
    assert sorted(found("الصفافير")) == sorted([first.pk, second.pk])


def test_a_rolled_back_save_leaves_no_task(make_article, run_tasks):
    article = make_article()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "عنوان لن يحفظ عن الشناشيل"
        articles.save_article(article)
        assert len(index_rows()) == 1
        raise RuntimeError("the editor's transaction fails")
    assert index_rows() == []
    # The next save in a new transaction is not merged into the vanished row.
    article.refresh_from_db()
    with transaction.atomic():
        article.title = "عنوان يحفظ عن الشناشيل"
        articles.save_article(article)
    assert len(index_rows()) == 1
    run_tasks()
    assert found("الشناشيل") == [article.pk]


def test_with_the_immediate_backend_the_index_follows_the_commit(
    settings, make_article, django_capture_on_commit_callbacks
):
    settings.TASKS = tasks_config("immediate")
    # (All in one captured "transaction": the test's own never commits.)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = make_article()
        article.title = "سوق السراي في بغداد"
        articles.save_article(article)
        articles.save_article(article)
        assert found("السراي") == []  # nothing runs before the commit
    assert len(callbacks) >= 1
    assert found("السراي") == [article.pk]
    assert index_rows() == []


def test_the_index_task_is_idempotent_and_follows_deletes(make_article, run_tasks):
    article = make_article(title="مكتبة المتنبي في بغداد")
    assert search_tasks.index_articles.call([article.pk]) == 1
    assert search_tasks.index_articles.call([article.pk]) == 1  # again: the same index
    assert found("المتنبي") == [article.pk]
    pk = article.pk
    article.delete()
    assert search_tasks.index_articles.call([pk]) == 0  # a task that outlived its article
    assert found("المتنبي") == []


def running_row(worker_id: str, started_ago: timedelta) -> DBTaskResult:
    result = search_tasks.index_articles.enqueue([1])
    row = DBTaskResult.objects.get(id=result.id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - started_ago)
    return row


def test_running_tasks_of_silent_workers_go_back_to_the_queue(settings):
    settings.JARIDA_TASKS_STALE_SECONDS = 30
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname="h", pid=1, started_at=now, beat_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="silent", hostname="h", pid=2, started_at=now, beat_at=now - timedelta(minutes=2)
    )
    of_live = running_row("alive", timedelta(minutes=5))
    of_silent = running_row("silent", timedelta(minutes=5))
    of_unknown = running_row("never-beat", timedelta(minutes=5))
    just_claimed = running_row("never-beat", timedelta(seconds=1))
    assert sorted(recovery.recover_lost_tasks(now)) == sorted(
        [str(of_silent.id), str(of_unknown.id)]
    )
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[of_live.id] == status[just_claimed.id] == TaskResultStatus.RUNNING
    assert status[of_silent.id] == status[of_unknown.id] == TaskResultStatus.READY
    assert recovery.recover_lost_tasks(now) == []  # nothing twice


def test_a_periodic_task_is_enqueued_once_per_interval(settings, run_tasks):
    settings.JARIDA_TASKS_SCHEDULE = {
        "prune": ("jarida.tasks.tasks.prune_task_results", 600),
        "off": ("jarida.tasks.tasks.prune_task_results", 0),
    }
    now = timezone.now()
    assert schedule.tick(now) == ["prune"]
    assert schedule.tick(now) == []  # a second worker ticking at the same moment
    assert schedule.tick(now + timedelta(seconds=599)) == []
    assert schedule.tick(now + timedelta(seconds=601)) == ["prune"]
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == {"prune"}
    rows = DBTaskResult.objects.filter(task_path=prune_task_results.module_path)
    assert rows.count() == 2
    assert run_tasks() == 2


def test_old_finished_task_rows_are_pruned(settings, run_tasks):
    settings.JARIDA_TASKS_KEEP_DAYS = 7
    for _ in range(3):
        search_tasks.index_articles.enqueue([])
    run_tasks()
    old = list(DBTaskResult.objects.values_list("id", flat=True)[:2])
    DBTaskResult.objects.filter(id__in=old).update(finished_at=timezone.now() - timedelta(days=8))
    search_tasks.index_articles.enqueue([])  # queued, not finished: kept whatever its age
    assert prune_task_results.call() == 2
    assert DBTaskResult.objects.count() == 2


# Real commits; `available_apps` lets the flush afterwards cascade to the search tables.
@pytest.mark.django_db(transaction=True, available_apps=list(django_settings.INSTALLED_APPS))
def test_the_rebuild_commits_batch_by_batch_and_recounts_the_vocabulary(make_article):
    from jarida.search import vocabulary
    from jarida.search.analysis import analyze
    from jarida.search.backends import get_backend

    # The index and the vocabulary are raw tables Django's flush does not empty: start
    # and end clean (earlier real commits may have left rows for ids reused since).
    get_backend().clear()
    vocabulary.clear()
    try:
        made = [make_article(title=f"مهرجان بابل رقم {n}") for n in range(5)]
        term = analyze("مهرجان")[0]
        get_backend().clear()  # the index lost, and a stale count to be corrected
        vocabulary.apply(vocabulary.delta({}, {0: {"شبح"}}))
        between = []
        done = search.rebuild_index(
            batch_size=2, progress=lambda n: between.append(connection.in_atomic_block)
        )
        articles_now = Article.objects.count()
        assert done == articles_now >= 5
        assert between and not any(between)  # no transaction spans the batches
        assert sorted(found("مهرجان")) == sorted(a.pk for a in made)
        # Counted afresh from the index: every article once, the stale term gone.
        assert vocabulary.frequencies([term, vocabulary.DOCUMENTS, "شبح"]) == {
            term: 5,
            vocabulary.DOCUMENTS: articles_now,
        }
    finally:
        get_backend().clear()
        vocabulary.clear()


def test_every_scheduled_job_names_a_task_and_the_buffers_are_flushed_each_minute():
    from django.tasks import Task
    from django.utils.module_loading import import_string

    jobs = django_settings.JARIDA_TASKS_SCHEDULE
    for path, every in jobs.values():
        assert isinstance(import_string(path), Task), path
        assert every >= 0
    # Page views and ad impressions wait in the cache: unflushed, "most read" never moves.
    assert jobs["flush_readership"] == ("jarida.readership.tasks.flush_views", 60)
    assert jobs["flush_sponsorship"] == ("jarida.sponsorship.tasks.flush_sponsorship", 60)


def test_a_rolled_back_transactions_ids_are_not_carried_into_the_next_task(make_article):
    first, second = make_article(), make_article()
    with pytest.raises(RuntimeError), transaction.atomic():
        articles.save_article(first)
        raise RuntimeError("the save fails: its task goes with it")
    with transaction.atomic():
        articles.save_article(second)
    [row] = index_rows()
    assert row.args_kwargs == {"args": [[second.pk]], "kwargs": {}}


def test_an_edge_purge_runs_before_work_queued_ahead_of_it(run_tasks):
    # A publication queues its index work before its purge; readers behind the edge wait
    # for the purge, the index can wait (benchmarks/spike.py).
    from jarida.reader.purge import queue_purge

    index = search_tasks.index_articles.enqueue([])
    purge = queue_purge(["home"], ["/"])
    assert run_tasks(max_tasks=1) == 1
    assert DBTaskResult.objects.get(pk=purge.id).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(pk=index.id).status == TaskResultStatus.READY


class BackendWithoutPriorities(DummyBackend):
    supports_priority = False


def test_a_backend_without_priorities_still_gets_the_purge(settings):
    from jarida.reader.purge import queue_purge

    path = f"{__name__}.BackendWithoutPriorities"
    settings.TASKS = {"default": {"BACKEND": path}}
    result = queue_purge(["home"])
    assert result.task.priority == 0
