"""What the import commands share: a byte progress bar on a terminal, the summary, the exit code."""

from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from jarida.importers.runs import ImportReport
from jarida.monitoring import metrics


def time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"unknown time zone {name!r}") from None


def existing_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    return path


@contextmanager
def progress_bar(command: BaseCommand, path: Path, verbosity: int):
    """A bar over the file's bytes on a terminal (tqdm turns itself off otherwise)."""
    # No monitor thread: the NDJSON importer forks workers, and forking copies no threads.
    tqdm.monitor_interval = 0
    with tqdm(
        total=path.stat().st_size,
        unit="B",
        unit_scale=True,
        desc=path.name,
        file=command.stderr._out,
        disable=None if verbosity else True,
    ) as bar:

        def advance(position: int) -> None:
            bar.update(position - bar.n)
            metrics.import_progress(path.name, position, bar.total)

        yield advance


def finish(command: BaseCommand, report: ImportReport) -> None:
    """Print the summary; exit non-zero when items failed."""
    for line in report.lines():
        command.stdout.write(line)
    if report.failed:
        raise CommandError(f"{report.failed} items failed (listed above)", returncode=1)
