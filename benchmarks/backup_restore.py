"""Time a backup and a restore of the whole research corpus (about 30,000 articles).

    .venv/bin/python benchmarks/backup_restore.py                     # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jarida_bench \\
      .venv/bin/python benchmarks/backup_restore.py                   # PostgreSQL

Imports ../shared/data/saudinewsnet/articles.ndjson.gz into a fresh data directory (and
database), runs `manage.py backup`, then `manage.py restore` into another empty data
directory (and database, `<name>_restored`), and prints the times, the archive's size
and the article counts on both sides. The corpus is read from ../shared, never copied.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.ndjson.gz"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def run(env: dict, *args: str) -> float:
    began = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - began


def count(env: dict) -> str:
    code = "from jarida.articles.models import Article; print(Article.objects.count())"
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


def postgres(url: str, name: str, action: str) -> None:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    sql = f'{action} DATABASE "{name}"' + (" WITH (FORCE)" if action.startswith("DROP") else "")
    subprocess.run(["psql", admin, "-qc", sql], check=False, capture_output=True)


def main() -> int:
    if not CORPUS.exists():
        print(f"{CORPUS} is absent: nothing to measure")
        return 0
    work = Path(tempfile.mkdtemp(prefix="jarida-backup-bench-"))
    url = os.environ.get("DATABASE_URL", "")
    base = os.environ | {"JARIDA_LOG_LEVEL": "WARNING"}
    source = base | {"JARIDA_DATA_DIR": str(work / "source")}
    target = base | {"JARIDA_DATA_DIR": str(work / "target")}
    if url:
        name = url.rsplit("/", 1)[1]
        restored = url.rsplit("/", 1)[0] + f"/{name}_restored"
        target["DATABASE_URL"] = restored
        for db in (name, f"{name}_restored"):
            postgres(url, db, "DROP DATABASE IF EXISTS")
            postgres(url, db, "CREATE")
    try:
        subprocess.run([PYTHON, "-m", "jarida.datadir"], cwd=ROOT, env=source, check=True)
        run(source, "migrate", "-v0")
        imported = run(source, "import_ndjson", str(CORPUS), "-v0")
        backed_up = run(source, "backup", "--output-dir", str(work / "backups"), "-v0")
        archive = next((work / "backups").glob("*.tar"))
        subprocess.run(
            [PYTHON, "-m", "jarida.datadir", "--from-backup", str(archive)],
            cwd=ROOT, env=target, check=True,
        )  # fmt: skip
        restored_in = run(target, "restore", str(archive), "-v0")
        kind = "PostgreSQL" if url else "SQLite"
        print(
            f"{kind}: {count(source)} articles imported in {imported:.0f} s; backup "
            f"{backed_up:.1f} s ({archive.stat().st_size / 1e6:.0f} MB); restore "
            f"{restored_in:.1f} s; articles after restore {count(target)}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if url:
            for db in (name, f"{name}_restored"):
                postgres(url, db, "DROP DATABASE IF EXISTS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
