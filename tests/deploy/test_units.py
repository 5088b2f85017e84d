"""deploy/systemd: units systemd accepts, starting the server the way `make serve` does."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402


def _exec_start(unit: Path) -> list[str]:
    text = unit.read_text().replace("\\\n", " ")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    return line.removeprefix("ExecStart=").split()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_every_unit(tmp_path):
    # The units name /srv/jarida; here the checkout stands in for it.
    for unit in UNITS.iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/jarida", str(ROOT)))
    checked = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr.strip() == "", checked.stderr


def test_the_web_unit_runs_granian_with_the_makefiles_flags():
    command = _exec_start(UNITS / "jarida-web.service")
    assert command[0].endswith("/granian") and command[-1] == "jarida.wsgi:application"
    flags = command[1:-1]
    for option in ("--host", "--port"):
        del flags[flags.index(option) : flags.index(option) + 2]
    assert flags == harness.makefile_granian_flags()


def test_the_web_unit_reloads_gracefully_and_comes_back_after_a_crash():
    text = (UNITS / "jarida-web.service").read_text()
    assert "ExecReload=/bin/kill -HUP $MAINPID" in text
    assert "Restart=always" in text


def test_the_worker_unit_runs_the_task_worker_and_lets_it_finish_its_task():
    unit = (UNITS / "jarida-worker.service").read_text()
    assert _exec_start(UNITS / "jarida-worker.service")[-1] == "task_worker"
    assert "KillSignal=SIGTERM" in unit and "Restart=always" in unit
    # SIGTERM finishes the task in hand: systemd must wait longer than the longest one.
    stop = int(unit.split("TimeoutStopSec=")[1].split()[0])
    assert stop > settings.JARIDA_WIRE_RUN_TIMEOUT
