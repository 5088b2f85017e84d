"""Cursor pagination over (published_at, id), newest first.

A cursor is opaque to clients: base64 of the last article's publication time and id. It
stays correct while new stories are published above it, unlike an offset.
"""

import base64
import binascii
from datetime import datetime

from django.db.models import Q, QuerySet

from jarida.api.http import InvalidParameter


def encode(published_at: datetime, pk: int) -> str:
    raw = f"{published_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        published_at = datetime.fromisoformat(moment)
        if published_at.utcoffset() is None:
            raise ValueError("naive time")
        return published_at, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidParameter("not a cursor this API gave out", "cursor") from error


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
