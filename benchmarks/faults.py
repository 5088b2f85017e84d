"""Faults under load, against the production layout: what readers, the editor and the
commenters see while Redis, PostgreSQL or an app worker fails, and whether anything
acknowledged is lost.

Run (needs nginx, redis-server and PostgreSQL 15's binaries; as root, the private
PostgreSQL cluster runs as the `postgres` user):

    .venv/bin/python benchmarks/faults.py [--readers 64] [--only redis-killed,...]

It starts its OWN Redis (127.0.0.1:6395) and its OWN PostgreSQL cluster (initdb in a
temporary folder, 127.0.0.1:5495): the shared services are never touched. granian (as
`make serve` starts it, 127.0.0.1:8159) behind the deploy/ nginx (127.0.0.1:8150).
`--port-base N` moves all four: nginx N, granian N+1, Redis N+2, PostgreSQL N+3.

Load, for every scenario: READERS threads reading the home page and article pages through
nginx (keep-alive), one editor publishing an article every 2 s in the back office, and
4 readers posting comments through the API. Each scenario runs 10 s of load, the fault,
then 15 s of recovery; one line per scenario:

    requests, reader error rate (5xx, refused, timed out), stale pages served (older
    than nginx's one second: X-Cache STALE or UPDATING, the copy nginx kept while the app
    failed or while one request refreshed it), reader p50 and p99, the same counts for
    the fault's own window, editor and commenter errors, and after recovery whether every
    acknowledged article and comment is in the database.

Scenarios: baseline (no fault), Redis killed 30 s, Redis frozen (SIGSTOP) 30 s, PostgreSQL
stopped 20 s, an app worker killed every 10 s for 30 s, and a task worker killed
(SIGKILL) 3 s after it started on 100 queued tasks, another started: all 100 must end
SUCCESSFUL (docs/tasks.md: at-least-once).
"""

import argparse
import collections
import contextlib
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

APP, FRONT, REDIS, POSTGRES = 8159, 8150, 6395, 5495


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list = field(default_factory=list)
    events: list = field(default_factory=list)  # (when, status or None, X-Cache)
    requests: int = 0
    errors: int = 0
    editor_tries: int = 0
    editor_errors: int = 0
    comment_tries: int = 0
    comment_errors: int = 0
    articles: list = field(default_factory=list)  # acknowledged article ids
    comments: list = field(default_factory=list)  # acknowledged comment ids

    def read(self, seconds: float, status: int | None, cache: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            self.events.append((time.time(), status, cache))
            if status is None or status >= 500:
                self.errors += 1


class Load:
    """Readers, one editor and commenters, all running until `stop` is set."""

    def __init__(self, readers: int, pages: list[str], article_ids: list[int], port: int):
        self.readers, self.pages, self.article_ids = readers, pages, article_ids
        # nginx's port, or the app's own (--direct: the app's fail-soft without nginx).
        self.port = port
        self.tally = Tally()
        self.stop = threading.Event()
        self.threads = []

    def start(self) -> None:
        for i in range(self.readers):
            self._spawn(self._reader, i)
        self._spawn(self._editor)
        for i in range(4):
            self._spawn(self._commenter, i)

    def finish(self) -> Tally:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)
        return self.tally

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _reader(self, n: int) -> None:
        rng = random.Random(n)
        connection = None
        while not self.stop.is_set():
            path = "/" if rng.random() < 0.3 else rng.choice(self.pages)
            began = time.time()
            status = cache = None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", path)
                answer = connection.getresponse()
                answer.read()
                status, cache = answer.status, answer.getheader("X-Cache")
                if answer.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                with contextlib.suppress(Exception):
                    connection.close()
                connection = None
            self.tally.read(time.time() - began, status, cache)
            time.sleep(0.05)

    def _editor(self) -> None:
        editor = None
        n = 0
        while not self.stop.wait(2):
            n += 1
            with self.tally.lock:
                self.tally.editor_tries += 1
            try:
                editor = editor or harness.AdminEditor(f"http://127.0.0.1:{self.port}")
                article_id = editor.publish(f"خبر عاجل {n} {time.time_ns()}", "نص الخبر.")
                with self.tally.lock:
                    self.tally.articles.append(article_id)
            except (OSError, RuntimeError, SystemExit, AttributeError):
                with self.tally.lock:
                    self.tally.editor_errors += 1
                editor = None

    def _commenter(self, n: int) -> None:
        rng = random.Random(1000 + n)
        sent = 0
        while not self.stop.wait(1):
            sent += 1
            article = rng.choice(self.article_ids)
            # A different reader each time: the rate limit is per address and e-mail.
            address = f"10.{n}.{sent // 250}.{sent % 250 + 1}"
            body = json.dumps(
                {
                    "text": f"تعليق رقم {sent} من القارئ {n} {time.time_ns()}",
                    "name": f"قارئ {n}",
                    "email": f"reader{n}-{sent}@example.org",
                }
            ).encode()
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/articles/{article}/comments",
                data=body,
                # As nginx forwards it (JARIDA_PROXY_COUNT=2: a CDN, then nginx).
                headers={
                    "Content-Type": "application/json",
                    "X-Forwarded-For": address if self.port == FRONT else f"{address}, 127.0.0.1",
                },
            )
            with self.tally.lock:
                self.tally.comment_tries += 1
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    comment = json.loads(answer.read())["id"]
                with self.tally.lock:
                    self.tally.comments.append(comment)
            except (OSError, ValueError, KeyError):
                with self.tally.lock:
                    self.tally.comment_errors += 1


def psql(url: str, query: str) -> str:
    return subprocess.run(
        ["psql", url, "-At", "-c", query], capture_output=True, text=True, check=True
    ).stdout.strip()


def present(url: str, table: str, ids: list[int]) -> int:
    if not ids:
        return 0
    listed = ",".join(str(i) for i in ids)
    return int(psql(url, f"SELECT count(*) FROM {table} WHERE id IN ({listed})"))


class Layout:
    def __init__(self, data_dir: Path, keep: bool = False):
        self.redis = harness.PrivateRedis(REDIS).start()
        self.postgres = harness.PrivatePostgres(POSTGRES).init()
        self.env = harness.site_env(
            data_dir, self.postgres.url, self.redis.url, JARIDA_PROXY_COUNT=2
        )
        harness.prepare_site(self.env)
        self.app = harness.app_server("granian", APP, self.env)
        self.nginx = harness.Nginx(FRONT, [APP], data_dir).start()

    def close(self) -> None:
        self.nginx.stop()
        harness.stop(self.app)
        self.redis.stop()
        self.postgres.destroy()


def redis_killed(layout: Layout, seconds: float) -> None:
    layout.redis.kill()
    time.sleep(seconds)
    layout.redis.start()


def redis_frozen(layout: Layout, seconds: float) -> None:
    layout.redis.freeze()
    try:
        time.sleep(seconds)
    finally:
        layout.redis.thaw()


def postgres_stopped(layout: Layout, seconds: float) -> None:
    layout.postgres.stop("fast")
    try:
        time.sleep(seconds)
    finally:
        layout.postgres.start()


def worker_killed(layout: Layout, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        workers = harness.worker_pids(layout.app)
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)
        time.sleep(10)
    if layout.app.poll() is not None:
        # granian exits when a fresh worker dies within 5.5 s of its start; systemd's
        # Restart=always (deploy/systemd/jarida-web.service) starts it again.
        print("  granian exited: restarted as systemd would", flush=True)
        layout.app = harness.app_server("granian", APP, layout.env)


TASKS = 100
#: Enqueue TASKS index tasks (idempotent: each re-indexes one demo article as it is).
ENQUEUE = f"""
from jarida.articles.models import Article
from jarida.search.tasks import index_articles
ids = list(Article.objects.values_list("pk", flat=True))
print(",".join(index_articles.enqueue([ids[n % len(ids)]]).id for n in range({TASKS})))
"""


def task_counts(url: str, ids: list[str]) -> collections.Counter:
    """How the queued tasks stand: {status: count}, read straight from the queue table."""
    listed = ",".join(f"'{i}'" for i in ids)
    rows = psql(
        url,
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult"
        f" WHERE id IN ({listed}) GROUP BY status",
    )
    return collections.Counter(
        {status: int(n) for status, n in (row.split("|") for row in rows.splitlines() if row)}
    )


def task_worker_killed(layout: Layout, seconds: float) -> None:
    """100 tasks queued; a worker killed (SIGKILL) in the middle of them (once the first has
    ended, or after `seconds` if none has); another started: every task must end
    SUCCESSFUL (at least once), none lost with the dead worker."""
    env = layout.env | {"JARIDA_TASKS_STALE_SECONDS": "5", "JARIDA_TASKS_HEARTBEAT_SECONDS": "1"}
    queued = harness.manage(env, "shell", "-c", ENQUEUE).stdout.strip().splitlines()[-1]
    ids, url = queued.split(","), layout.postgres.url
    worker = [str(harness.BIN / "python"), "manage.py", "task_worker", "--no-schedule"]
    began = time.time()
    first = subprocess.Popen(worker, cwd=harness.ROOT, env=env, start_new_session=True)
    at_kill = collections.Counter()
    while time.time() < began + max(seconds, 60):
        at_kill = task_counts(url, ids)
        if at_kill["SUCCESSFUL"] or (time.time() > began + seconds and at_kill["RUNNING"]):
            break
        time.sleep(0.1)
    os.killpg(first.pid, signal.SIGKILL)
    killed_after = time.time() - began
    first.wait()
    at_kill = task_counts(url, ids)
    second = subprocess.Popen(worker, cwd=harness.ROOT, env=env, start_new_session=True)
    deadline, counts = time.time() + 120, collections.Counter()
    while time.time() < deadline:
        counts = task_counts(url, ids)
        if counts["SUCCESSFUL"] == TASKS:
            break
        time.sleep(0.5)
    recovered_after = time.time() - began - killed_after
    harness.stop(second)
    done = counts["SUCCESSFUL"]
    print(
        f"  tasks: {TASKS} queued, first worker SIGKILLed after {killed_after:.1f} s with"
        f" {at_kill['SUCCESSFUL']} SUCCESSFUL, {at_kill['RUNNING']} RUNNING and"
        f" {at_kill['READY']} READY; second worker: {done}/{TASKS} SUCCESSFUL"
        f" {recovered_after:.1f} s later ({dict(counts)})"
        f" {'ALL DONE' if done == TASKS else 'LOST'}",
        flush=True,
    )


SCENARIOS = {
    "baseline": (None, 0),
    "redis-killed": (redis_killed, 30),
    "redis-frozen": (redis_frozen, 30),
    "postgres-stopped": (postgres_stopped, 20),
    "worker-killed": (worker_killed, 30),
    "task-worker-killed": (task_worker_killed, 9),
}


def run(
    layout: Layout, name: str, readers: int, pages: list[str], ids: list[int], port: int
) -> str:
    fault, seconds = SCENARIOS[name]
    load = Load(readers, pages, ids, port)
    load.start()
    time.sleep(10)
    fault_began = time.time()
    if fault:
        fault(layout, seconds)
    fault_ended = time.time()
    time.sleep(15)
    tally = load.finish()
    # After recovery: everything acknowledged must be there.
    harness.wait_http(f"http://127.0.0.1:{APP}/health/ready", timeout=60)
    url = layout.postgres.url
    articles = present(url, "articles_article", tally.articles)
    comments = present(url, "comments_comment", tally.comments)
    lat = sorted(tally.latencies) or [0.0]
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    rate = tally.errors / max(tally.requests, 1)
    complete = (articles, comments) == (len(tally.articles), len(tally.comments))
    # Older than nginx's second: the copy kept while the app failed or was refreshing it.
    stale = sum(1 for _, status, cache in tally.events if cache in ("STALE", "UPDATING"))
    during = [e for e in tally.events if fault_began <= e[0] <= fault_ended]
    during_errors = sum(1 for _, status, _ in during if status is None or status >= 500)
    during_stale = sum(1 for _, _, cache in during if cache in ("STALE", "UPDATING"))
    return (
        f"{name:17} requests {tally.requests:6}  errors {rate:6.2%}  stale {stale:5}"
        f"  p50 {statistics.median(lat):6.3f} s  p99 {p99:6.3f} s"
        f"  during the fault: {len(during)} requests, errors"
        f" {during_errors / max(len(during), 1):6.2%}, stale {during_stale}"
        f"  editor {tally.editor_errors}/{tally.editor_tries} failed"
        f"  comments {tally.comment_errors}/{tally.comment_tries} failed"
        f"  after recovery: articles {articles}/{len(tally.articles)}"
        f" comments {comments}/{len(tally.comments)}"
        f" {'ALL PRESENT' if complete else 'LOST'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--only", default=",".join(SCENARIOS), help="scenarios, in order")
    parser.add_argument(
        "--direct", action="store_true", help="readers, editor and commenters skip nginx"
    )
    parser.add_argument(
        "--port-base", type=int, help="nginx on this port, granian, Redis, PostgreSQL after it"
    )
    args = parser.parse_args()
    if args.port_base:
        global APP, FRONT, REDIS, POSTGRES
        FRONT, APP, REDIS, POSTGRES = (args.port_base + n for n in range(4))
    data_dir = Path(tempfile.mkdtemp(prefix="jarida-faults-"))
    layout = Layout(data_dir)
    port = APP if args.direct else FRONT
    try:
        home = urllib.request.urlopen(f"http://127.0.0.1:{FRONT}/", timeout=30).read().decode()
        pages = sorted(set(re.findall(r'href="(/[^"/]+/\d+/[^"]+/)"', home)))[:20]
        ids = [int(re.search(r"/(\d+)/", p).group(1)) for p in pages]
        print(
            f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f};"
            f" {args.readers} readers over {len(pages)} article pages and the home page,"
            f" {'straight to' if args.direct else 'through nginx (policy micro) to'}"
            " granian (2 workers)",
            flush=True,
        )
        for name in args.only.split(","):
            print(run(layout, name, args.readers, pages, ids, port), flush=True)
    finally:
        layout.close()


if __name__ == "__main__":
    sys.exit(main())
