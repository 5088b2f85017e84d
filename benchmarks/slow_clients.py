"""Slow and idle clients against granian as `make run` starts it, and as it used to.

Run after `make setup`: `.venv/bin/python benchmarks/slow_clients.py`. For each server
configuration it opens N idle keep-alive connections and N connections that send their
headers one line every 5 seconds, then a probe asks for the home page every half second
for 20 seconds; one line per scenario with the probe's p50, p99 and worst time (a probe
that got no answer within 30 s counts as 30 s). Then it kills a worker and probes again.
"""

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = str(ROOT / ".venv" / "bin" / "granian")
BASE = ["--interface", "wsgi", "--host", "127.0.0.1", "--workers", "2", "--blocking-threads", "8"]
CONFIGS = {
    "before (backpressure 8)": ["--backpressure", "8"],
    "make run now": [
        "--backpressure", "1024", "--backlog", "2048",
        "--http1-header-read-timeout", "5000", "--respawn-failed-workers",
    ],
}  # fmt: skip
SCENARIOS = [(0, 0), (24, 0), (0, 15), (300, 300), (1000, 0)]


def start(flags: list[str], port: int) -> subprocess.Popen:
    env = os.environ | {"JARIDA_LOG_LEVEL": "WARNING"}
    command = [GRANIAN, *BASE, "--port", str(port), *flags, "jarida.wsgi:application"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return server
        except OSError:
            time.sleep(0.5)
    raise SystemExit("granian did not start")


def probe(port: int, seconds: float) -> list[float]:
    times = []
    end = time.time() + seconds
    while time.time() < end:
        began = time.time()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).read()
            times.append(time.time() - began)
        except OSError:
            times.append(30.0)
        time.sleep(0.5)
    return sorted(times)


def scenario(port: int, idle: int, slow: int) -> list[float]:
    sockets = []
    for _ in range(idle):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sockets.append(s)
    dripping = []
    for _ in range(slow):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        dripping.append(s)
    stop = threading.Event()

    def drip():
        while not stop.wait(5):
            for s in dripping:
                with contextlib.suppress(OSError):
                    s.sendall(b"X-Slow: 1\r\n")

    threading.Thread(target=drip, daemon=True).start()
    try:
        return probe(port, 20)
    finally:
        stop.set()
        for s in sockets + dripping:
            s.close()


def line(name: str, label: str, times: list[float]) -> str:
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return (
        f"{name:26} {label:28} probes {len(times):3}  p50 {statistics.median(times):6.3f} s"
        f"  p99 {p99:6.3f} s  worst {times[-1]:6.3f} s"
    )


def main() -> None:
    port = 8190
    for name, flags in CONFIGS.items():
        port += 1
        server = start(flags, port)
        try:
            for idle, slow in SCENARIOS:
                label = f"{idle} idle + {slow} slow-header"
                print(line(name, label, scenario(port, idle, slow)), flush=True)
            workers = subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
            if workers:
                os.kill(int(workers[0]), signal.SIGKILL)
                time.sleep(1)
                alive = server.poll() is None
                print(line(name, f"a worker killed (server up: {alive})", probe(port, 10)))
        finally:
            server.terminate()
            server.wait(20)


if __name__ == "__main__":
    sys.exit(main())
