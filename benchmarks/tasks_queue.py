"""The task queue: enqueue cost per save, worker throughput, and the killed-worker check.

    nice .venv/bin/python benchmarks/tasks_queue.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jarida_tasks \\
      nice .venv/bin/python benchmarks/tasks_queue.py                     # PostgreSQL

Builds a fresh data directory (on PostgreSQL a schema `bench_queue` of that database,
dropped at the end) and prints, measured in the same run:

1. an editor's save with the search indexing inline (what Jarida did before: the
   reference) against the save that enqueues it (what it does now), ms per save;
2. throughput of `task_worker` processes (1, then 2) draining no-op tasks and real
   search-index tasks, tasks/s;
3. the killed-worker check: a slow task, its worker SIGKILLed mid-task, a second worker
   started; whether the task completed, how many times it started, how long it took.

Article texts come from ../shared/data/saudinewsnet when present (read, never copied),
else generated Arabic sentences.
"""

import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.ndjson.gz"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SAVES = int(os.environ.get("BENCH_SAVES", "200"))
NOOPS = int(os.environ.get("BENCH_NOOPS", "1000"))

PROBE = """
import time
from pathlib import Path
from django.tasks import task

@task
def noop(n: int) -> int:
    return n

@task
def slow_append(folder: str, label: str, seconds: float) -> str:
    import os
    (Path(folder) / f"started-{os.getpid()}").touch()
    time.sleep(seconds)
    with open(Path(folder) / "done.log", "a") as log:
        log.write(label + "\\n")
    return label
"""

SAVE_BENCH = """
import json, sys, time
from django.db import transaction
from django.utils import timezone
from jarida.articles import services
from jarida.articles.models import Article, Section
from jarida.search import services as search
from jarida.search import signals
from django.db.models.signals import post_save

texts = json.load(open(sys.argv[1]))
section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "قياس"})

def save(text, inline):
    with transaction.atomic():
        article = services.save_article(Article(
            title=text["title"], body=text["body"], section=section,
            status=Article.Status.PUBLISHED, published_at=timezone.now(),
        ))
        if inline:
            search.reindex([article.pk])  # the old way: the words analysed in the save
    return article

half = len(texts) // 2
results = {}
# Reference: indexing inline (the enqueue switched off for these saves).
post_save.disconnect(signals.article_saved, sender=Article)
began = time.perf_counter()
for text in texts[:half]:
    save(text, inline=True)
results["inline_ms"] = (time.perf_counter() - began) * 1000 / half
post_save.connect(signals.article_saved, sender=Article)
began = time.perf_counter()
for text in texts[half:]:
    save(text, inline=False)
results["queued_ms"] = (time.perf_counter() - began) * 1000 / (len(texts) - half)
from jarida.search.tasks import index_articles
began = time.perf_counter()
for n in range(200):
    index_articles.enqueue([n])
results["bare_enqueue_ms"] = (time.perf_counter() - began) * 1000 / 200
print(json.dumps(results))
"""


def texts(count: int) -> list[dict]:
    if CORPUS.exists():
        found = []
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if row.get("title") and row.get("content"):
                    body = "".join(f"<p>{p}</p>" for p in row["content"].split("\n") if p)
                    found.append({"title": row["title"][:300], "body": body})
                if len(found) == count:
                    return found
    words = [
        "افتتاح",
        "مشروع",
        "جديد",
        "للكهرباء",
        "في",
        "البصرة",
        "بحضور",
        "المحافظ",
        "وعدد",
        "من",
        "المسؤولين",
    ]
    return [
        {
            "title": " ".join([*words[n % 5 :], str(n)]),
            "body": "<p>" + " ".join(words * 30) + "</p>",
        }
        for n in range(count)
    ]


class Site:
    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env

    def python(self, code: str, *args: str) -> str:
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        out = subprocess.run(
            [PYTHON, "-c", script, *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        return out.stdout.strip()

    def worker(self) -> subprocess.Popen:
        return subprocess.Popen(
            [PYTHON, "manage.py", "task_worker", "--interval", "0.05", "--no-schedule"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def ready(self) -> int:
        return int(
            self.python(
                "from django_tasks_db.models import DBTaskResult\n"
                "print(DBTaskResult.objects.exclude(status__in=['SUCCESSFUL','FAILED']).count())"
            )
        )

    def drain(self, workers: int) -> float:
        """Start `workers` processes, wait until nothing is left, return the seconds."""
        began = time.perf_counter()
        procs = [self.worker() for _ in range(workers)]
        try:
            while self.ready():
                time.sleep(1)
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait()
        return time.perf_counter() - began


SPAN = """
import sys
from django.db.models import Max, Min
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path=sys.argv[1], status="SUCCESSFUL")
span = rows.aggregate(first=Min("started_at"), last=Max("finished_at"))
print(rows.count(), (span["last"] - span["first"]).total_seconds())
"""


def throughput(site: Site, label: str, task_path: str, enqueue: str, count: int) -> None:
    for workers in (1, 2):
        site.python("from django_tasks_db.models import DBTaskResult\n"
                    "DBTaskResult.objects.all().delete()")  # fmt: skip
        site.python(enqueue)
        wall = site.drain(workers)
        done, seconds = site.python(SPAN, task_path).split()
        seconds = float(seconds)
        print(f"  {label:<20} {workers} worker(s): {done} tasks in {seconds:6.2f} s "
              f"= {int(done) / seconds:7.1f} tasks/s (first start to last finish; "
              f"{wall:.1f} s wall with process start)")  # fmt: skip


def killed_worker(site: Site, folder: Path) -> None:
    site.python(
        f"from probe_tasks import slow_append\nslow_append.enqueue({str(folder)!r}, 'slow', 3.0)"
    )
    first = site.worker()
    while not list(folder.glob("started-*")):
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = time.perf_counter()
    second = site.worker()
    log = folder / "done.log"
    while not log.exists():
        if time.perf_counter() - killed_at > 120:
            break
        time.sleep(0.1)
    recovered = time.perf_counter() - killed_at
    second.send_signal(signal.SIGTERM)
    second.wait()
    done = log.read_text().split() if log.exists() else []
    starts = len(list(folder.glob("started-*")))
    row = site.python(
        "from django_tasks_db.models import DBTaskResult\n"
        "r = DBTaskResult.objects.get(task_path='probe_tasks.slow_append')\n"
        "print(r.status, len(r.worker_ids))"
    )
    verdict = "PASS" if done == ["slow"] and row.startswith("SUCCESSFUL") else "FAIL"
    print(f"  {verdict}: completed {len(done)}x, started {starts}x (at least once), "
          f"row {row.split()[0]} after {row.split()[1]} claims; done {recovered:.1f} s after "
          f"the SIGKILL (stale after {site.env['JARIDA_TASKS_STALE_SECONDS']} s)")  # fmt: skip


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="jarida-bench-queue-") as tmp:
        root = Path(tmp)
        (root / "probe").mkdir()
        (root / "data").mkdir(exist_ok=True)
        (root / "probe" / "probe_tasks.py").write_text(PROBE)
        env = {
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(root / "probe"),
            "DJANGO_SETTINGS_MODULE": "jarida.settings",
            "SECRET_KEY": "bench",
            "JARIDA_DATA_DIR": str(root / "data"),
            "JARIDA_TASKS_HEARTBEAT_SECONDS": "1",
            "JARIDA_TASKS_STALE_SECONDS": "5",
            "JARIDA_WIRE_FETCH_MINUTES": "0",
            "JARIDA_LOG_LEVEL": "WARNING",
        }
        drop = None
        if url := os.environ.get("DATABASE_URL"):
            # A schema of that database, not a database: CREATE/DROP DATABASE wait on
            # every backend of a shared server.
            schema = "bench_queue"
            run_sql = ["psql", url.split("?")[0], "-qc"]
            subprocess.run([*run_sql, f"DROP SCHEMA IF EXISTS {schema} CASCADE"], check=True)
            subprocess.run([*run_sql, f"CREATE SCHEMA {schema}"], check=True)
            env["DATABASE_URL"] = f"{url.split('?')[0]}?options=-c%20search_path%3D{schema}"

            def drop():
                sql = f"DROP SCHEMA IF EXISTS {schema} CASCADE"
                subprocess.run([*run_sql, sql], check=False)

        site = Site(root, env)
        try:
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
            )
            vendor = "PostgreSQL" if drop else "SQLite"
            load = os.getloadavg()[0]
            print(f"Task queue (django-tasks-db on {vendor}); load average {load:.1f} at start")
            sample = texts(SAVES)
            (root / "texts.json").write_text(json.dumps(sample, ensure_ascii=False))
            figures = json.loads(site.python(SAVE_BENCH, str(root / "texts.json")))
            print(
                f"1. Editor's save, {len(sample)} articles "
                f"({'corpus' if CORPUS.exists() else 'generated'} texts, half each way):"
            )
            print(f"  indexing inline (reference) {figures['inline_ms']:7.2f} ms/save")
            print(
                f"  enqueue after commit (now)   {figures['queued_ms']:7.2f} ms/save  "
                f"ratio {figures['queued_ms'] / figures['inline_ms']:.2f}x"
            )
            print(f"  bare enqueue (one task row) {figures['bare_enqueue_ms']:7.2f} ms")
            print("2. Worker throughput:")
            site.drain(1)  # the saves' own index tasks and the bare enqueues first
            throughput(
                site, "no-op tasks", "probe_tasks.noop",
                f"from probe_tasks import noop\nfor n in range({NOOPS}): noop.enqueue(n)", NOOPS,
            )  # fmt: skip
            throughput(
                site, "search-index tasks", "jarida.search.tasks.index_articles",
                "from jarida.articles.models import Article\n"
                "from jarida.search.tasks import index_articles\n"
                "for pk in Article.objects.values_list('pk', flat=True):\n"
                "    index_articles.enqueue([pk])",
                len(sample),
            )  # fmt: skip
            print("3. Killed worker:")
            folder = root / "killed"
            folder.mkdir()
            killed_worker(site, folder)
        finally:
            if drop:
                drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
