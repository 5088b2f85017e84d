"""Keep a server running: start COMMAND again when it exits abnormally, stop it on request.

    python scripts/supervise.py [--backoff 1] [--max-backoff 30] -- COMMAND [ARGS...]

`make run` serves through this. granian respawns a worker that dies
(--respawn-failed-workers), but when a respawned worker dies again within 5.5 s it takes
the whole server down ("Worker crash loop detected, exiting", exit status 1), and nothing
in granian 2.8 turns that off. In production systemd does the restarting
(deploy/systemd/jarida-web.service, Restart=always); for `make run` this does:

* COMMAND runs in a process group of its own; SIGINT and SIGTERM (Ctrl-C, `kill`) are
  passed on to it once, and when it has exited this exits with its status: no restart.
  A second Ctrl-C while it stops kills the group.
* SIGHUP is passed on (granian reloads its workers gracefully).
* When COMMAND exits by itself with a status other than 0, or is killed by a signal,
  whatever is left of its group is killed (workers of a main process that was SIGKILLed
  would keep the port), and it is started again after BACKOFF seconds; the wait doubles
  up to MAX_BACKOFF while it keeps failing and starts again at BACKOFF once it has run
  for a minute. Exit status 0 without a request to stop ends the supervisor too.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

#: A run this long counts as healthy: the next failure waits BACKOFF again.
HEALTHY_SECONDS = 60


def log(message: str) -> None:
    print(f"[supervise] {message}", file=sys.stderr, flush=True)


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def supervise(command: list[str], backoff: float, max_backoff: float) -> int:
    stopping = threading.Event()
    child: subprocess.Popen | None = None

    def on_stop(signum, _frame):
        if child is not None and child.poll() is None:
            if stopping.is_set():  # asked twice: no more waiting
                kill_group(child.pid)
            else:
                child.send_signal(signum)
        stopping.set()

    def on_hup(signum, _frame):
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_hup)

    wait = backoff
    while True:
        started = time.monotonic()
        child = subprocess.Popen(command, start_new_session=True)
        if stopping.is_set():  # the stop came while it was being started
            child.send_signal(signal.SIGTERM)
        status = child.wait()
        kill_group(child.pid)  # what is left of it, if anything (workers of a killed main)
        if stopping.is_set():
            return status if status >= 0 else 128 - status
        if status == 0:
            log(f"{command[0]} exited normally")
            return 0
        if time.monotonic() - started >= HEALTHY_SECONDS:
            wait = backoff
        how = f"status {status}" if status > 0 else f"signal {-status}"
        log(f"{command[0]} exited ({how}); starting it again in {wait:g} s")
        if stopping.wait(wait):
            return 0
        wait = min(wait * 2, max_backoff)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backoff", type=float, default=1.0, help="first wait, seconds")
    parser.add_argument("--max-backoff", type=float, default=30.0, help="longest wait")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    return supervise(command, args.backoff, args.max_backoff)


if __name__ == "__main__":
    sys.exit(main())
