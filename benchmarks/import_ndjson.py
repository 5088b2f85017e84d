"""Import the SaudiNewsNet corpus with `import_ndjson`'s code: articles per second, peak memory.

    .venv/bin/python benchmarks/import_ndjson.py                       # SQLite (temp dir)
    createdb -h 127.0.0.1 -U postgres importbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/importbench \\
        .venv/bin/python benchmarks/import_ndjson.py                   # PostgreSQL
    .venv/bin/python benchmarks/import_ndjson.py --kill-after 8        # kill -9, rerun, count

Search indexing is included (each batch is indexed in its transaction). Peak memory is
the largest resident set of the importing process and, separately, of its text worker.
`--kill-after` runs the real command, SIGKILLs it, runs it again and checks that the
database holds every url exactly once.
"""

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-import-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "jarida.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jarida.articles.models import Article  # noqa: E402
from jarida.importers.ndjson import NdjsonOptions, import_ndjson  # noqa: E402

CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.ndjson.gz"


def fresh_database() -> None:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, allow_cascade=True, verbosity=0)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def run(path: Path, workers: int, batch_size: int) -> None:
    options = NdjsonOptions(
        time_zone=ZoneInfo("Asia/Riyadh"), batch_size=batch_size, workers=workers
    )
    cpu = time.process_time()
    started = time.perf_counter()
    report = import_ndjson(path, options)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    print(f"database        {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"file            {path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"imported        {report.created} created, {report.failed} failed, {seconds:.1f} s")
    print(f"throughput      {report.created / seconds:,.0f} articles/s (search index included)")
    print(f"main process    {cpu:.1f} s CPU, peak RSS {peak_mb(resource.RUSAGE_SELF):.0f} MB")
    # CPU seconds do not stretch when other work shares the cores (wall seconds do): the
    # rate on the busier of the two processes is what a quiet machine's wall rate tends to.
    print(f"CPU rate        {report.created / cpu:,.0f} articles per importer CPU second")
    if workers:
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        child_cpu = child.ru_utime + child.ru_stime
        worker_peak = peak_mb(resource.RUSAGE_CHILDREN)
        print(f"text workers    {child_cpu:.1f} s CPU, peak RSS {worker_peak:.0f} MB (largest)")
        print(f"CPU rate        {report.created / child_cpu:,.0f} articles per worker CPU second")
        total = cpu + child_cpu
        cores = min(os.cpu_count() or 1, workers + 1)
        print(
            f"all CPU         {total:.1f} s: {report.created / total:,.0f} articles per CPU "
            f"second; on {cores} free cores at best {report.created * cores / total:,.0f}/s"
        )
    print(f"articles in db  {Article.objects.count()}")


def kill_and_rerun(path: Path, after: float) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), "import_ndjson", str(path)]
    command += ["--time-zone", "Asia/Riyadh", "-v", "0"]
    process = subprocess.Popen(command, env=os.environ, stdout=subprocess.DEVNULL)
    time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = Article.objects.count()
    print(f"killed after {after:.0f} s with {partial} articles committed")
    rerun = subprocess.run(command, env=os.environ, capture_output=True, text=True)
    print(f"rerun: {rerun.stdout.strip().splitlines()[0]}")
    total = Article.objects.count()
    distinct = Article.objects.values("external_id").distinct().count()
    print(
        f"articles {total}, distinct urls {distinct}: {'OK' if total == distinct else 'DUPLICATES'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=CORPUS)
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0,
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--kill-after", type=float, help="SIGKILL the command after N seconds")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} is absent (../shared is not beside this checkout)")
    fresh_database()
    if args.kill_after:
        kill_and_rerun(args.file, args.kill_after)
    else:
        run(args.file, args.workers, args.batch_size)


if __name__ == "__main__":
    main()
