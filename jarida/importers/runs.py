"""What every importer reports: counts, failures with the item and the reason, a run record."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from jarida.importers.models import ImportRun
from jarida.monitoring.metrics import count_import

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shown(text) -> str:
    """An item or reason fit for the run record and a terminal: control characters (a NUL
    in a bad line's url; PostgreSQL's JSON refuses it) shown as escapes, length bounded."""
    text = str(text)[:1000]
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass
class ImportReport:
    """Created, updated, skipped and failed items, each failure with its item id and reason."""

    #: Failures and warnings kept in detail (the counts go on): constant memory on any file.
    MAX_DETAILS = 1000

    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    warning_count: int = 0
    tally: Counter = field(default_factory=Counter)
    #: Why the run stopped before the end of its input (a malformed file), if it did.
    error: str = ""

    def fail(self, item: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < self.MAX_DETAILS:
            self.failures.append({"item": _shown(item), "reason": _shown(reason)})

    def warn(self, item: str, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < self.MAX_DETAILS:
            self.warnings.append({"item": _shown(item), "reason": _shown(reason)})

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.tally[f"skipped: {reason}"] += 1

    def lines(self) -> list[str]:
        """The summary as printed at the end of a run."""
        out = [
            f"created {self.created}, updated {self.updated}, "
            f"skipped {self.skipped}, failed {self.failed}"
        ]
        out += [f"  {name}: {count}" for name, count in sorted(self.tally.items())]
        if self.warning_count:
            out.append(f"warnings ({self.warning_count}):")
            out += [f"  {w['item']}: {w['reason']}" for w in self.warnings]
        if self.failed:
            out.append(f"failures ({self.failed}):")
            out += [f"  {f['item']}: {f['reason']}" for f in self.failures]
        return out


def start_run(kind: str, source: str) -> ImportRun:
    return ImportRun.objects.create(kind=kind, source=str(source)[:500])


def finish_run(run: ImportRun, report: ImportReport, status: str, error: str = "") -> None:
    """Store the report on the run record (outside any item's transaction)."""
    run.status = status
    run.finished_at = timezone.now()
    run.created, run.updated = report.created, report.updated
    run.skipped, run.failed = report.skipped, report.failed
    run.failures, run.warnings = report.failures, report.warnings
    run.tally = dict(report.tally)
    run.error = error
    run.save()
    count_import(run.kind, report.created, report.updated, report.skipped, report.failed)


class recorded_run:
    """`with recorded_run(kind, source, report):` marks the run finished, failed or interrupted."""

    def __init__(self, kind: str, source: str, report: ImportReport):
        self.kind, self.source, self.report = kind, source, report

    def __enter__(self) -> ImportRun:
        self.run = start_run(self.kind, self.source)
        return self.run

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            status = ImportRun.Status.FAILED if self.report.error else ImportRun.Status.FINISHED
            finish_run(self.run, self.report, status, self.report.error)
        elif issubclass(exc_type, KeyboardInterrupt):
            finish_run(self.run, self.report, ImportRun.Status.INTERRUPTED, "interrupted")
        else:
            finish_run(self.run, self.report, ImportRun.Status.FAILED, str(exc))
        return False
