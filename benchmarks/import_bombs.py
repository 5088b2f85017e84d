"""Gzip bombs against the real import commands: time, exit code, peak resident memory.

    .venv/bin/python benchmarks/import_bombs.py            # a 4.7 MB bomb (4.6 GB inside)

Each command runs in its own process (a fresh SQLite database in a temp dir); its peak
resident set comes from `wait4`. Reference in the same run: the same command importing a
small good file, so the figure says what the bomb costs beyond an ordinary import.
Before the caps (issue 15): 2.19 GB in import_ndjson, 3.2 GB and 223 s in import_wxr.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from tests.importers.bombs import gzip_bomb  # noqa: E402
from tests.importers.conftest import wxr_document, wxr_post  # noqa: E402

GOOD_LINE = (
    b'{"url": "http://paper.example/1", "title": "t", "content": "c", '
    b'"date": "2015-08-03 12:40:00", "source": "okaz", "author": ""}\n'
)


def run(command: list[str], env: dict) -> tuple[int, float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="jarida-bombs-"))
    (work / "data").mkdir()
    env = os.environ | {"SECRET_KEY": "benchmark", "JARIDA_DATA_DIR": str(work / "data")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)
    head, tail = wxr_document(wxr_post(1) + "BOMB").split(b"BOMB")
    files = {
        "ndjson good": ("import_ndjson", "good.ndjson.gz", gzip_bomb(GOOD_LINE, b"\n", 1)),
        "ndjson bomb": ("import_ndjson", "bomb.ndjson.gz", gzip_bomb(GOOD_LINE, b"\0", 4600)),
        "wxr good": ("import_wxr", "good.xml.gz", gzip_bomb(head, b"\n", 1, tail)),
        "wxr bomb": ("import_wxr", "bomb.xml.gz", gzip_bomb(head, b"<!-- -->", 4600, tail)),
    }
    print(f"{'file':12} {'gzipped':>9} {'inside':>9} {'exit':>4} {'seconds':>8} {'peak RSS':>9}")
    for name, (command, filename, data) in files.items():
        path = work / filename
        path.write_bytes(data)
        inside = 4600 if "bomb" in name else 1
        code, seconds, peak = run([*manage, command, str(path), "-v", "0"], env)
        print(
            f"{name:12} {len(data) / 1e6:7.2f}MB {inside:7,}MB {code:>4} {seconds:8.1f} "
            f"{peak:7.0f}MB"
        )


if __name__ == "__main__":
    main()
