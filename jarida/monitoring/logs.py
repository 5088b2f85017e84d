"""Log records an operator can act on: one line each, JSON when asked, floods folded.

Imported by settings (no Django imports here): `logging_config()` builds LOGGING.
"""

import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS

#: The current request's id, set by RequestMiddleware; "-" outside a request.
request_id: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s%(repeated_note)s"
JSON_FIELDS = "{asctime}{levelname}{name}{message}"


class RequestIdFilter(logging.Filter):
    """Stamp every record with the request id (and an empty repetition note)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        if not hasattr(record, "repeated_note"):
            record.repeated_note = ""
        return True


class DedupFilter(logging.Filter):
    """Let the first of a run of identical failures through, fold the rest into a count.

    Records at WARNING and above with the same logger, message template and exception
    (type and text) within `window` seconds are one failure: the first is logged in full
    (traceback included), the others only counted. The next one after the window goes
    through with `repeated` = how many were folded, and a window with folded records that
    nothing follows is reported as soon as any other record passes.
    """

    SUMMARY_LOGGER = "jarida.logs"

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.window = float(window)
        self.clock = clock
        self.runs: dict[tuple, list] = {}  # key → [window start, folded count, description]
        self.lock = threading.Lock()

    def key(self, record: logging.LogRecord) -> tuple:
        error = ""
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return (record.name, record.levelno, str(record.msg), error)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == self.SUMMARY_LOGGER:
            return True
        folding = record.levelno >= logging.WARNING and self.window > 0
        key = self.key(record) if folding else None
        with self.lock:  # worker threads log at once; summaries are written after
            now = self.clock()
            closed = self._closed_runs(now, but=key)
            verdict = self._admit(record, key, now) if folding else True
        for key_closed, folded, description in closed:
            logging.getLogger(self.SUMMARY_LOGGER).warning(
                "%s: repeated %d more times in %g s",
                description,
                folded,
                self.window,
                extra={"repeated": folded, "source_logger": key_closed[0]},
            )
        return verdict

    def _admit(self, record: logging.LogRecord, key: tuple, now: float) -> bool:
        run = self.runs.get(key)
        if run is not None and now - run[0] < self.window:
            run[1] += 1
            return False
        folded = run[1] if run else 0
        self.runs[key] = [now, 0, key[3] or key[2]]
        if folded:
            record.repeated = folded
            record.repeated_note = f" (repeated {folded} more times in the last {self.window:g} s)"
        return True

    def _closed_runs(self, now: float, but: tuple | None) -> list[tuple]:
        """Forget runs whose window has passed; those that folded records are reported."""
        closed = []
        for key, (start, folded, description) in list(self.runs.items()):
            if key != but and now - start >= self.window:
                del self.runs[key]
                if folded:
                    closed.append((key, folded, description))
        return closed


def logging_config(log_format: str, level: str, dedup_seconds: float) -> dict:
    """LOGGING for settings: `text` (readable lines, the default) or `json` (one object a line)."""
    if log_format not in ("text", "json"):
        raise ValueError(f"JARIDA_LOG_FORMAT must be 'text' or 'json', not {log_format!r}")
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # Every LogRecord attribute but the worker's pid stays out of the object.
            "reserved_attrs": [a for a in RESERVED_ATTRS if a != "process"] + ["repeated_note"],
            "json_ensure_ascii": False,
        }
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "jarida.monitoring.logs.RequestIdFilter"},
            "dedup": {"()": "jarida.monitoring.logs.DedupFilter", "window": dedup_seconds},
        },
        "formatters": {"main": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "main",
                "filters": ["request_id", "dedup"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's own handlers would print 500s a second time (and mail admins).
        "loggers": {"django": {"handlers": ["console"], "level": level, "propagate": False}},
    }
