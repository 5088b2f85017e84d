"""Which backups to keep: the newest of each of the last N days, weeks and months.

The same rule as restic's `forget --keep-daily/--keep-weekly/--keep-monthly`; the newest
backup is always kept. Times come from the archive names, never from the clock.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

NAME_FORMAT = "jarida-%Y%m%dT%H%M%SZ.tar"
NAME_PATTERN = re.compile(r"^jarida-(\d{8}T\d{6}Z)\.tar$")


@dataclass(frozen=True)
class Policy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 6


def archive_name(at: datetime) -> str:
    return at.astimezone(UTC).strftime(NAME_FORMAT)


def archive_time(path: Path) -> datetime | None:
    """When a backup was taken, read from its name; None for files that are not backups."""
    match = NAME_PATTERN.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def to_keep(times: list[datetime], policy: Policy) -> set[datetime]:
    """The backup times the policy keeps."""
    newest_first = sorted(times, reverse=True)
    keep = set(newest_first[:1])
    tiers = (
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: t.isocalendar()[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    )
    for count, bucket_of in tiers:
        buckets = set()
        for at in newest_first:
            bucket = bucket_of(at)
            if bucket in buckets:
                continue
            if len(buckets) == count:
                break
            buckets.add(bucket)
            keep.add(at)
    return keep


def prune(directory: Path, policy: Policy, dry_run: bool = False) -> list[Path]:
    """Delete the backups in `directory` the policy does not keep; return them."""
    backups = {at: path for path in directory.glob("jarida-*.tar") if (at := archive_time(path))}
    kept = to_keep(list(backups), policy)
    removed = [path for at, path in sorted(backups.items()) if at not in kept]
    if not dry_run:
        for path in removed:
            path.unlink()
    return removed
