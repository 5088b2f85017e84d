"""Jarida's seed article page beside the performance anchors, measured in the same run.

    .venv/bin/python benchmarks/anchors.py                      # every setup below
    .venv/bin/python benchmarks/anchors.py --setups uncached    # one of them

Starts a Jarida site as `make serve` runs it (granian, 2 workers, the embedded SQLite),
puts the seed article page in it (benchmarks/seed_page.py: the article, its comment and
its related story, as the anchors serve it), and runs
../shared/bench/anchors/jarida_vs_anchors.sh against it, which starts nginx, WordPress
(with and without fastcgi_cache) and a bare Django view beside it and prints the table of
requests/s, p99 and Jarida's ratio to each (the first run installs them with apt-get).

Setups (issue 13's targets):
- `uncached`: the page cache off (JARIDA_PAGE_CACHE_SECONDS=0): every request renders.
- `files`: Jarida's page cache on the embedded default, the file cache.
- `redis`: the page cache on Redis (REDIS_URL; db 9 of 127.0.0.1:6379 by default).
- `nginx`: `files` behind the deploy/ nginx (its micro-cache honouring the app's headers).
Knobs of the anchors script pass through the environment (CONNS, ROUNDS, DURATION).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

ROOT = harness.ROOT
ANCHORS = Path(os.environ.get("JARIDA_SHARED_DIR", ROOT.parent / "shared")) / "bench/anchors"
SETUPS = ("uncached", "files", "redis", "nginx")
APP_PORT, NGINX_PORT = 8271, 8272
#: The anchors each setup is compared with (issue 13's targets), unless ANCHORS is set:
#: rendering against WordPress uncached and the bare Django view; cached pages against
#: Django's per-view cache, WordPress behind fastcgi_cache and nginx serving a file.
COMPARED = {
    "uncached": "static wp-uncached django-gunicorn django-granian",
    "cached": "static wp-fcgicache django-granian-locmem django-nginx-proxycache",
}


def site(data_dir: Path, redis_url: str, page_cache: bool) -> tuple[dict, str]:
    env = harness.site_env(data_dir, redis_url=redis_url)
    if not page_cache:
        env["JARIDA_PAGE_CACHE_SECONDS"] = "0"
    harness.prepare_site(env)
    path = subprocess.run(
        [str(harness.BIN / "python"), "benchmarks/seed_page.py"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    # The related story is chosen by a task: run what the save queued, as the worker would.
    harness.manage(env, "task_worker", "--batch", "--no-schedule")
    return env, path


def run(setup: str, redis_url: str) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix=f"jarida-anchors-{setup}-"))
    env, path = site(data_dir, redis_url if setup == "redis" else "", setup != "uncached")
    server = harness.app_server("granian", APP_PORT, env)
    nginx = None
    try:
        port = APP_PORT
        if setup == "nginx":
            nginx = harness.Nginx(NGINX_PORT, [APP_PORT], data_dir).start()
            port = NGINX_PORT
        pids = " ".join(str(p) for p in [server.pid, *harness.worker_pids(server)])
        kind = "uncached" if setup == "uncached" else "cached"
        print(f"\n=== Jarida, {setup}: http://127.0.0.1:{port}{path} ({kind})", flush=True)
        return subprocess.run(
            ["bash", str(ANCHORS / "jarida_vs_anchors.sh"), f"http://127.0.0.1:{port}", path, kind],
            cwd=ROOT, env={"ANCHORS": COMPARED[kind]} | os.environ | {"JARIDA_PIDS": pids},
        ).returncode  # fmt: skip
    finally:
        if nginx:
            nginx.stop()
        harness.stop(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", nargs="*", choices=SETUPS, default=list(SETUPS))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    if not (ANCHORS / "jarida_vs_anchors.sh").exists():
        raise SystemExit(f"{ANCHORS} is absent: the anchors come with ../shared.")
    return max(run(setup, args.redis_url) for setup in args.setups)


if __name__ == "__main__":
    sys.exit(main())
