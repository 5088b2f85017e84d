"""Cursor pagination over (published_at, id), newest first.

A cursor is opaque to clients: 22 URL-safe base64 characters holding the last article's
publication time (microseconds since 1970, UTC) and id, two signed 64-bit numbers. Every
string of that shape is a position in the list, so no well-formed cursor is refused; and
it stays correct while new stories are published above it, unlike an offset.
"""

import base64
import struct
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

CURSOR_LENGTH = 22
CURSOR_PATTERN = "^[A-Za-z0-9_-]{22}$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PACKING = struct.Struct(">qq")


def encode(published_at: datetime, pk: int) -> str:
    micros = (published_at - _EPOCH) // timedelta(microseconds=1)
    return base64.urlsafe_b64encode(_PACKING.pack(micros, pk)).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    """The position a cursor names; times beyond the calendar's range clamp to its ends."""
    micros, pk = _PACKING.unpack(base64.urlsafe_b64decode(cursor + "=="))
    try:
        published_at = _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        published_at = datetime.max.replace(tzinfo=UTC) if micros > 0 else _min()
    return max(published_at, _min()), pk


def _min() -> datetime:
    # A day above the smallest datetime, so converting it to any time zone cannot overflow.
    return datetime.min.replace(tzinfo=UTC) + timedelta(days=1)


def page(queryset: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of `queryset` (ordered newest first) after `cursor`, and the next cursor."""
    if cursor:
        published_at, pk = decode(cursor)
        queryset = queryset.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
        )
    rows = list(queryset.newest_first()[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode(last.published_at, last.pk)
