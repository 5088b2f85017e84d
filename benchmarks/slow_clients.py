"""Slow and idle clients against a server: granian as `make run` starts it, or any URL.

Run after `make setup`:

    .venv/bin/python benchmarks/slow_clients.py                 # granian, as make run
    .venv/bin/python benchmarks/slow_clients.py --url http://127.0.0.1:8150/ \\
        --scenario 1000,600 --probe-every 1 --seconds 60        # a running server
    .venv/bin/python benchmarks/slow_clients.py --layout ...    # nginx + granian, started

For each scenario it opens IDLE keep-alive connections (one request answered, then
silent) and SLOW connections that send their headers one line every 5 seconds, then a
probe asks for the URL every `--probe-every` seconds for `--seconds`; one line per
scenario with the probe's p50, p99 and worst time (a probe that got no answer within 30 s
counts as 30 s). Without `--url` it starts granian itself and also kills a worker.

`benchmarks/servers.py` runs the same scenarios against granian, gunicorn and uvicorn,
with and without the deploy/ nginx in front.
"""

import argparse
import contextlib
import os
import signal
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

SCENARIOS = [(0, 0), (24, 0), (0, 15), (300, 300), (1000, 0), (1000, 600)]
TIMEOUT = 30.0


def probe(url: str, seconds: float, every: float) -> list[float]:
    times = []
    end = time.time() + seconds
    while time.time() < end:
        began = time.time()
        try:
            urllib.request.urlopen(url, timeout=TIMEOUT).read()
            times.append(time.time() - began)
        except OSError:
            times.append(TIMEOUT)
        time.sleep(max(0.0, every - (time.time() - began)))
    return sorted(times)


class Attack:
    """IDLE keep-alive connections and SLOW connections dripping header lines."""

    def __init__(self, url: str, idle: int, slow: int):
        parts = urllib.parse.urlsplit(url)
        self.address = (parts.hostname, parts.port or 80)
        self.idle, self.slow = idle, slow
        self.sockets, self.dripping = [], []
        self.refused = 0
        self.stop = threading.Event()

    def _connect(self) -> socket.socket | None:
        try:
            return socket.create_connection(self.address, timeout=5)
        except OSError:
            self.refused += 1
            return None

    def __enter__(self):
        for _ in range(self.idle):
            if s := self._connect():
                with contextlib.suppress(OSError):
                    s.sendall(b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                self.sockets.append(s)
        for _ in range(self.slow):
            if s := self._connect():
                with contextlib.suppress(OSError):
                    s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                self.dripping.append(s)
        threading.Thread(target=self._drip, daemon=True).start()
        return self

    def _drip(self):
        while not self.stop.wait(5):
            for s in self.dripping:
                with contextlib.suppress(OSError):
                    s.sendall(b"X-Slow: 1\r\n")

    def __exit__(self, *exc):
        self.stop.set()
        for s in self.sockets + self.dripping:
            s.close()


def scenario(url: str, idle: int, slow: int, seconds: float, every: float) -> list[float]:
    with Attack(url, idle, slow):
        return probe(url, seconds, every)


def percentile(times: list[float], p: float) -> float:
    return times[min(len(times) - 1, int(len(times) * p))]


def line(name: str, label: str, times: list[float]) -> str:
    return (
        f"{name:30} {label:30} probes {len(times):3}  p50 {statistics.median(times):6.3f} s"
        f"  p99 {percentile(times, 0.99):6.3f} s  worst {times[-1]:6.3f} s"
    )


def kill_a_worker(server, url: str, name: str) -> None:
    workers = harness.worker_pids(server)
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(1)
        alive = server.poll() is None
        print(line(name, f"a worker killed (up: {alive})", probe(url, 10, 0.5)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="probe and attack this server instead of starting one")
    parser.add_argument(
        "--layout",
        action="store_true",
        help="start the production layout (deploy/ nginx on 8150 before granian on 8159)",
    )
    parser.add_argument(
        "--scenario", action="append", help="IDLE,SLOW (repeatable; default: a series)"
    )
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--probe-every", type=float, default=0.5)
    args = parser.parse_args()
    scenarios = [tuple(int(n) for n in s.split(",")) for s in args.scenario or []] or SCENARIOS
    server, nginx, name = None, None, args.url
    url = args.url
    if args.layout:
        env = os.environ | {"JARIDA_LOG_LEVEL": "WARNING", "JARIDA_PROXY_COUNT": "1"}
        layout_server = harness.app_server("granian", 8159, env)
        data_dir = Path(env.get("JARIDA_DATA_DIR") or harness.ROOT / "var")
        try:
            nginx = harness.Nginx(8150, [8159], data_dir).start()
        except BaseException:
            harness.stop(layout_server)
            raise
        url, name = "http://127.0.0.1:8150/", "nginx + granian (deploy/)"
    elif not url:
        port = 8153
        env = os.environ | {"JARIDA_LOG_LEVEL": "WARNING"}
        server = harness.app_server("granian", port, env)
        url, name = f"http://127.0.0.1:{port}/", "granian (make run)"
    try:
        for idle, slow in scenarios:
            times = scenario(url, idle, slow, args.seconds, args.probe_every)
            print(line(name, f"{idle} idle + {slow} slow-header", times), flush=True)
        if server:
            kill_a_worker(server, url, name)
    finally:
        harness.stop(server)
        if nginx:
            nginx.stop()
            harness.stop(layout_server)


if __name__ == "__main__":
    sys.exit(main())
