"""Two app servers, one PostgreSQL, one Redis, the deploy/ nginx in front: is a story
published through one server on the other's cached pages, and through nginx, within 2 s?

Run (wrk not needed; nginx is):

    .venv/bin/python benchmarks/two_servers.py \\
        --database-url postgres://postgres@127.0.0.1:5432/jarida_deploy \\
        --redis-url redis://127.0.0.1:6379/5

Servers A (8154) and B (8155) are granian as `make serve` starts it, sharing the data
directory (media and the secret key, as a shared volume would) and nginx on 8156 balances
between them. Each round: the home page is read from B and through nginx until both hold
it in their caches, an editor publishes an article in the back office of A, and both are
polled every 50 ms until the new title shows: one line per round with the delays, then the
verdict against the 2 s target. `--worker-command` starts a task worker beside them (none
exists yet: the queue is being built).
"""

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

A, B, FRONT = 8154, 8155, 8156
TARGET = 2.0


def wait_for(url: str, text: str, since: float, limit: float) -> float | None:
    while time.time() - since < limit:
        if text in harness.fetch(url)[0]:
            return time.time() - since
        time.sleep(0.05)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=float, default=75, help="give up after (s)")
    parser.add_argument(
        "--policies", default="micro,app", help="nginx page cache policies to try, in order"
    )
    parser.add_argument("--worker-command", default="", help="a task worker to start too")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres") or not args.redis_url:
        raise SystemExit("two servers need PostgreSQL and Redis: --database-url, --redis-url")
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jarida-two-"))
    env = harness.site_env(data_dir, args.database_url, args.redis_url, JARIDA_PROXY_COUNT=1)
    harness.prepare_site(env)
    processes = [harness.app_server("granian", port, env) for port in (A, B)]
    if args.worker_command:
        processes.append(
            subprocess.Popen(
                shlex.split(args.worker_command), cwd=harness.ROOT, env=env, start_new_session=True
            )
        )
    try:
        editor = harness.AdminEditor(f"http://127.0.0.1:{A}")
        for policy in args.policies.split(","):
            with harness.Nginx(FRONT, [A, B], data_dir, policy):
                rounds(editor, policy, args.rounds, args.limit)
    finally:
        for process in processes:
            harness.stop(process)


def rounds(editor, policy: str, count: int, limit: float) -> None:
    via_b, via_nginx = f"http://127.0.0.1:{B}/", f"http://127.0.0.1:{FRONT}/"
    delays_b, delays_nginx = [], []
    for round_ in range(1, count + 1):
        for _ in range(3):  # into B's page cache (shared Redis) and nginx's micro-cache
            harness.fetch(via_b)
            _, headers = harness.fetch(via_nginx)
        title = f"خبر عاجل من الخادم الأول رقم {round_} {time.time_ns()}"
        editor.publish(title, "نص الخبر كما حرره المحرر في الخادم الأول.")
        acknowledged = time.time()
        b = wait_for(via_b, title, acknowledged, limit)
        n = wait_for(via_nginx, title, acknowledged, limit)
        delays_b.append(b)
        delays_nginx.append(n)
        print(
            f"nginx policy {policy}, round {round_}: server B's cached home page {_s(b)},"
            f" through nginx {_s(n)}  (nginx had X-Cache {headers.get('X-Cache')}, "
            f"Cache-Control {headers.get('cache-control') or headers.get('Cache-Control')})",
            flush=True,
        )
    verdict(policy, delays_b, delays_nginx)


def _s(delay: float | None) -> str:
    return "never" if delay is None else f"{delay:.2f} s"


def verdict(policy: str, delays_b: list, delays_nginx: list) -> None:
    for name, delays in (
        ("server B (page cache in Redis)", delays_b),
        (f"nginx, policy {policy}", delays_nginx),
    ):
        seen = [d for d in delays if d is not None]
        worst = max(seen) if len(seen) == len(delays) else None
        ok = worst is not None and worst <= TARGET
        median = statistics.median(seen) if seen else float("nan")
        print(
            f"{name:32} median {median:.2f} s  worst {_s(worst)}  target {TARGET} s: "
            f"{'PASS' if ok else 'FAIL'}"
        )
    if policy == "app" and any(d is None or d > TARGET for d in delays_nginx):
        print(
            "nginx keeps a page as long as the app's Cache-Control allows (today "
            "`public, max-age=60`, no s-maxage) and nothing purges it on publication: "
            "deploy/nginx/snippets/purge.conf accepts PURGE, the app does not send it yet."
        )


if __name__ == "__main__":
    sys.exit(main())
