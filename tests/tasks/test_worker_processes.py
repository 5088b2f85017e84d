"""Real worker processes against a real database: a killed worker loses no task."""

import signal
import time


def wait_for(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up after {timeout}s: {message}")


STATUS = """
from django_tasks_db.models import DBTaskResult
for row in DBTaskResult.objects.filter(task_path__startswith="probe_tasks."):
    print(row.args_kwargs["args"][1], row.status, len(row.worker_ids))
"""


def statuses(site) -> dict[str, tuple[str, int]]:
    lines = site.python(STATUS).splitlines()
    return {label: (status, int(n)) for label, status, n in (line.split() for line in lines)}


def test_a_task_of_a_killed_worker_runs_again_and_completes(site, tmp_path):
    folder = tmp_path
    # One slow task and twenty quick ones, queued while no worker runs.
    site.python(
        f"""
        from probe_tasks import slow_append
        slow_append.enqueue({str(folder)!r}, "slow", 4.0)
        for n in range(20):
            slow_append.enqueue({str(folder)!r}, f"quick{{n}}", 0.0)
        """
    )
    first = site.start_worker()
    started = wait_for(
        lambda: list(folder.glob("started-slow-*")), 60, "the first worker never started it"
    )
    first.send_signal(signal.SIGKILL)  # mid-task: no chance to record anything
    first.wait()
    assert started[0].name == f"started-slow-{first.pid}"
    log = folder / "done.log"
    assert "slow" not in (log.read_text().split() if log.exists() else [])
    assert statuses(site)["slow"] == ("RUNNING", 1)  # left behind by the dead worker

    second = site.start_worker()
    wait_for(
        lambda: (
            (folder / "done.log").exists() and len((folder / "done.log").read_text().split()) == 21
        ),
        90,
        "the second worker did not finish every task",
    )
    done = (folder / "done.log").read_text().split()
    # At least once: the killed run never finished, the second finished it; nothing twice.
    assert sorted(done) == sorted(["slow", *(f"quick{n}" for n in range(20))])
    starts = sorted(p.name for p in folder.glob("started-slow-*"))
    assert starts == sorted([f"started-slow-{first.pid}", f"started-slow-{second.pid}"])
    final = statuses(site)
    assert final["slow"] == ("SUCCESSFUL", 2)  # claimed by both workers, in turn
    assert all(final[f"quick{n}"][0] == "SUCCESSFUL" for n in range(20))
    site.stop_workers()
    assert second.returncode == 0  # SIGTERM: a clean stop


def test_a_saved_article_is_indexed_by_a_worker_process_after_commit(site):
    site.start_worker()
    article_id = site.python(
        """
        from django.utils import timezone
        from jarida.articles import services
        from jarida.articles.models import Article, Section
        section = Section.objects.create(name="محليات", slug="local-worker")
        article = services.save_article(Article(
            title="افتتاح جسر الجادرية الجديد", section=section, body="<p>نص</p>",
            status=Article.Status.PUBLISHED, published_at=timezone.now(),
        ))
        print(article.pk)
        """
    )
    search = """
    from jarida.search.services import search
    from jarida.search.backends.base import SearchQuery
    print(search(SearchQuery("الجادرية")).article_ids)
    """
    wait_for(
        lambda: site.python(search) == f"[{article_id}]",
        60,
        "the worker did not index the saved article",
    )
    site.stop_workers()
