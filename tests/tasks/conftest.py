"""A site of its own for tests that start real worker processes.

Workers are separate processes, so they cannot see the test's transaction: these tests
get a database of their own (a SQLite file, or on the scale-out pass a PostgreSQL
database named after the test schema of the test database), migrated once per module, and talk to it
through short Python subprocesses.
"""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest

from jarida.paths import BASE_DIR

#: Tasks the tests enqueue; a module both the test's scripts and the workers import.
PROBE_TASKS = '''
import os, time
from pathlib import Path
from django.tasks import task

@task
def slow_append(folder: str, label: str, seconds: float) -> str:
    """Records each start, sleeps, then appends its label once it has finished."""
    folder = Path(folder)
    (folder / f"started-{label}-{os.getpid()}").touch()
    time.sleep(seconds)
    with open(folder / "done.log", "a") as log:
        log.write(label + "\\n")
    return label
'''


class Site:
    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.workers: list[subprocess.Popen] = []

    def python(self, code: str, timeout: float = 120) -> str:
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip()

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=self.env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start_worker(self, *args: str) -> subprocess.Popen:
        log = open(self.root / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--interval", "0.1", *args],
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
        self.workers.clear()


def _own_postgres_schema():
    """A schema of the test database for the workers' site, dropped at the end.

    A schema, not a database: CREATE/DROP DATABASE wait on every backend of the shared
    server (a ProcSignalBarrier), and one stuck client elsewhere would hang the suite.
    """
    from django.db import connection

    name = "queue_site_workers"
    parts = urlparse(os.environ["DATABASE_URL"])
    url = urlunparse(parts._replace(path=f"/{connection.settings_dict['NAME']}"))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        admin.execute(f"CREATE SCHEMA {name}")

    def drop():
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    return f"{url}?options=-c%20search_path%3D{name}", drop


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    root = tmp_path_factory.mktemp("queue-site")
    (root / "probe").mkdir()
    # What `make setup` (jarida.datadir) makes: SQLite creates its file, not its folder.
    (root / "data").mkdir()
    (root / "probe" / "probe_tasks.py").write_text(PROBE_TASKS)
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(root / "probe"),
        "DJANGO_SETTINGS_MODULE": "jarida.settings",
        "SECRET_KEY": "queue-site-tests",
        "JARIDA_DATA_DIR": str(root / "data"),
        "JARIDA_TASKS_BACKEND": "database",
        # Fast beats so a dead worker is noticed in seconds, not the default 30.
        "JARIDA_TASKS_HEARTBEAT_SECONDS": "0.5",
        "JARIDA_TASKS_STALE_SECONDS": "3",
        "JARIDA_WIRE_FETCH_MINUTES": "0",
        "JARIDA_LOG_LEVEL": "WARNING",
    }
    drop = None
    if os.environ.get("DATABASE_URL"):
        with django_db_blocker.unblock():
            env["DATABASE_URL"], drop = _own_postgres_schema()
    queue_site = Site(root, env)
    queue_site.manage("migrate", "--noinput", "-v", "0")
    yield queue_site
    queue_site.stop_workers()
    if drop:
        drop()
