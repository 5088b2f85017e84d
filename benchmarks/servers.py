"""granian, gunicorn (gthread) and uvicorn (ASGI), each alone and behind the deploy/ nginx.

Run with wrk and nginx installed (apt-get install wrk nginx-light) and the servers to
compare (`.venv/bin/pip install gunicorn==27.0.1 uvicorn==0.54.0 uvloop==0.23.0
httptools==0.9.0`: measured, not dependencies):

    .venv/bin/python benchmarks/servers.py [--database-url URL --redis-url URL]

Every server runs 2 workers × 8 threads (granian, gunicorn, uvicorn on 127.0.0.1:8151-8153,
each with its own nginx on 8156-8158). It prints one line per measurement:

* `wrk`: requests/s and p99 on one article page for `--seconds` (16 connections), with
  Jarida's page cache off (every request renders: the server's own overhead counts) and on,
  all servers up at once and measured in interleaved rounds, with the ratio to the first;
* `slow`: 1,000 idle keep-alive + 600 slow-header connections while a probe asks for the
  home page every second: the probe's p50/p99/worst;
* `kill`: one worker killed with SIGKILL: was it replaced, and the probe's p99 after;
* `reload`: the graceful-reload signal sent mid-wrk: errors during the reload.

All figures of one run come from the same machine state; compare servers within a run.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness
from slow_clients import line, percentile, probe, scenario

APP, FRONT = 8151, 8156
#: Only granian is a dependency; the others are measured when installed.
PACKAGES = {
    "granian": "granian==2.8.9",
    "gunicorn": "gunicorn==27.0.1",
    "uvicorn": "uvicorn==0.54.0 uvloop==0.23.0 httptools==0.9.0",
}
#: The signal each server takes as "reload gracefully" (new workers, requests finished).
RELOAD = {"granian": signal.SIGHUP, "gunicorn": signal.SIGHUP, "uvicorn": signal.SIGHUP}


def wrk(url: str, seconds: int, connections: int = 16) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    result["p99_ms"] = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    result["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    return result


def article_path(base: str) -> str:
    html = urllib.request.urlopen(base + "/").read().decode()
    return re.findall(r'href="(/[^"/]+/\d+/[^"]+/)"', html)[0]


def wrk_line(name: str, label: str, r: dict) -> str:
    return (
        f"{name:30} {label:30} {r['rps']:8.0f} req/s  p99 {r['p99_ms']:7.1f} ms"
        f"  errors {r['errors']}/{r['requests']}"
    )


def throughput(kinds: list[str], env: dict, data_dir: Path, seconds: int, rounds: int) -> None:
    """All servers up at once, measured in interleaved rounds (the machine's drift cancels)."""
    for cache in ("off", "on"):
        server_env = env | {"JARIDA_PAGE_CACHE_SECONDS": "0" if cache == "off" else "300"}
        servers, fronts = {}, {}
        try:
            for i, kind in enumerate(kinds):
                servers[kind] = harness.app_server(kind, APP + i, server_env)
                fronts[kind] = harness.Nginx(FRONT + i, [APP + i], data_dir).start()
            path = article_path(f"http://127.0.0.1:{APP}")
            results = {}
            for _ in range(rounds):
                for i, kind in enumerate(kinds):
                    for front, port in (("alone", APP + i), ("behind nginx", FRONT + i)):
                        r = wrk(f"http://127.0.0.1:{port}{path}", seconds)
                        results.setdefault((kind, front), []).append(r)
            for (kind, front), runs in results.items():
                rps = [r["rps"] for r in runs]
                reference = [r["rps"] for r in results[(kinds[0], front)]]
                ratio = statistics.median(a / b for a, b in zip(rps, reference, strict=True))
                print(
                    f"{kind + ' ' + front:30} wrk article, page cache {cache:3}"
                    f"  req/s {statistics.median(rps):7.0f}"
                    f" (rounds {' / '.join(f'{x:.0f}' for x in rps)})"
                    f"  p99 {statistics.median(r['p99_ms'] for r in runs):7.1f} ms"
                    f"  errors {sum(r['errors'] for r in runs)}"
                    f"  ×{ratio:.2f} {kinds[0]}",
                    flush=True,
                )
        finally:
            for nginx in fronts.values():
                nginx.stop()
            for server in servers.values():
                harness.stop(server)


def resilience(kind: str, env: dict, data_dir: Path, slow_seconds: int) -> None:
    server = harness.app_server(kind, APP, env)
    try:
        with harness.Nginx(FRONT, [APP], data_dir):
            for front, port in (("alone", APP), ("behind nginx", FRONT)):
                times = scenario(f"http://127.0.0.1:{port}/", 1000, 600, slow_seconds, 1.0)
                print(line(f"{kind} {front}", "slow: 1000 idle + 600 slow", times), flush=True)
        path = article_path(f"http://127.0.0.1:{APP}")
        reload(kind, server, f"http://127.0.0.1:{APP}" + path)
        time.sleep(10)  # let a reload finish: granian exits if a fresh worker dies
        kill(kind, server, f"http://127.0.0.1:{APP}/")
    finally:
        harness.stop(server)


def reload(kind: str, server, url: str) -> None:
    """wrk for 10 s with the reload signal sent after 3 s: errors during a graceful reload."""
    timer = threading.Timer(3, lambda: os.kill(server.pid, RELOAD[kind]))
    timer.start()
    r = wrk(url, 10)
    timer.join()
    time.sleep(2)
    up = server.poll() is None
    name = f"{kind} alone"
    label = f"reload ({RELOAD[kind].name}), up: {up}"
    print(wrk_line(name, label, r), flush=True)


def kill(kind: str, server, url: str) -> None:
    before = harness.worker_pids(server)
    if not before:
        print(f"{kind}: no worker processes found", flush=True)
        return
    os.kill(before[-1], signal.SIGKILL)
    times = probe(url, 10, 0.5)
    after = harness.worker_pids(server)
    label = f"kill -9 a worker: {len(before)}→{len(after)}"
    print(
        f"{kind + ' alone':30} {label:30} probe p99 {percentile(times, 0.99):6.3f} s"
        f"  failed {sum(t >= 30 for t in times)}/{len(times)}  server up: {server.poll() is None}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--servers", default="granian,gunicorn,uvicorn")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--slow-seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jarida-servers-"))
    env = harness.site_env(data_dir, args.database_url, args.redis_url, JARIDA_PROXY_COUNT=1)
    harness.prepare_site(env)
    print(
        f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; "
        f"database {'PostgreSQL' if args.database_url else 'SQLite'}, "
        f"cache {'Redis' if args.redis_url else 'files'}",
        flush=True,
    )
    kinds = [k for k in args.servers.split(",") if (harness.BIN / k).exists()]
    for missing in set(args.servers.split(",")) - set(kinds):
        print(f"# {missing} is not installed: .venv/bin/pip install {PACKAGES[missing]}")
    throughput(kinds, env, data_dir, args.seconds, args.rounds)
    for kind in kinds:
        resilience(kind, env, data_dir, args.slow_seconds)
    print(f"# load average {os.getloadavg()[0]:.1f} at the end", flush=True)


if __name__ == "__main__":
    sys.exit(main())
