"""`make run` keeps serving when granian gives up: scripts/supervise.py with real processes.

granian respawns a dead worker, but when the respawned worker dies again within 5.5 s it
exits ("Worker crash loop detected"). The supervisor starts it again; Ctrl-C or SIGTERM
stops it for good.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

SUPERVISE = [str(harness.BIN / "python"), str(ROOT / "scripts" / "supervise.py")]


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_for(predicate, timeout: float = 60):
    """Poll until `predicate()` returns something true (never a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s")


def answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=5).status == 200
    except OSError:
        return False


@pytest.fixture
def supervised(tmp_path):
    env = harness.site_env(tmp_path, SECRET_KEY="tests-only-not-secret")
    subprocess.run(
        [*SUPERVISE[:1], "-m", "jarida.datadir"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "supervise.log"
    command = [*SUPERVISE, "--backoff", "0.5", "--", *harness.server_command("granian", port, 1, 2)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}/health/live"
    try:
        wait_for(lambda: answers(url))
        yield process, url, log
    finally:
        # Its granian runs in a session of its own: found before the supervisor goes.
        left = children(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in left:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def test_granian_giving_up_after_a_worker_crash_loop_is_started_again(supervised):
    process, url, log = supervised
    (granian,) = children(process.pid)
    (worker,) = wait_for(lambda: children(granian))
    os.kill(worker, signal.SIGKILL)
    # granian respawns it once; the respawned worker dies at once: granian exits.
    (respawned,) = wait_for(lambda: [p for p in children(granian) if p != worker])
    os.kill(respawned, signal.SIGKILL)
    wait_for(lambda: "crash loop" in log.read_text())
    # The supervisor starts a new granian, and the site answers again.
    wait_for(lambda: [p for p in children(process.pid) if p != granian])
    wait_for(lambda: answers(url), timeout=30)
    assert process.poll() is None
    assert "starting it again" in log.read_text()


def test_sigterm_stops_the_server_for_good(supervised):
    process, url, log = supervised
    (granian,) = children(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(30) == 0
    assert not answers(url)
    with pytest.raises(ProcessLookupError):
        os.kill(granian, 0)
    assert "starting it again" not in log.read_text()


def test_make_run_serves_through_the_supervisor():
    recipe = subprocess.run(
        ["make", "-s", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in recipe.splitlines() if "bin/granian" in x)
    assert "scripts/supervise.py -- " in line.split("bin/granian")[0]
