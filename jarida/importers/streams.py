"""Reading import files with bounded memory and time: capped decompression, bounded lines.

A 4.7 MB gzip bomb decompresses to gigabytes. `open_import` reads a `.gz` through
`CappedGzip`, which stops with `TooLarge` as soon as the output passes
`settings.JARIDA_IMPORT_MAX_RATIO` times the compressed bytes read (after a first
`RATIO_GRACE` bytes, so a small, very regular file is not taken for a bomb) or
`settings.JARIDA_IMPORT_MAX_BYTES` in all; it decompresses at most the asked size a call,
never a whole member at once. `bounded_lines` hands out lines of at most `max_line`
bytes: a longer one is drained in pieces and reported, never held whole.
"""

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

#: Output allowed before the ratio is checked (a file of 64 kB of spaces may be 1:1000).
RATIO_GRACE = 32 * 1024 * 1024
CHUNK = 1 << 20


class TooLarge(ValueError):
    """The file decompresses to more than the caps allow; nothing more is read."""


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


class CappedGzip:
    """A gzip member stream whose output is capped by size and by compression ratio."""

    def __init__(self, raw: BinaryIO, max_ratio: float, max_bytes: int):
        self.raw, self.max_ratio, self.max_bytes = raw, max_ratio, max_bytes
        self.gzip = gzip.GzipFile(fileobj=raw)
        self.out = 0

    def _check(self) -> None:
        if self.out > self.max_bytes:
            raise TooLarge(
                f"refused: the file decompresses to more than {_mb(self.max_bytes)} "
                "(JARIDA_IMPORT_MAX_BYTES); nothing after that point was read"
            )
        read = max(self.raw.tell(), 1)
        if self.out > RATIO_GRACE and self.out > self.max_ratio * read:
            raise TooLarge(
                f"refused: {_mb(read)} compressed became more than {_mb(self.out)} "
                f"(over {self.max_ratio:.0f} times its size, JARIDA_IMPORT_MAX_RATIO): "
                "a decompression bomb or not an export; nothing after that point was read"
            )

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = CHUNK  # never "everything": the caller loops until b""
        data = self.gzip.read(min(size, CHUNK))
        self.out += len(data)
        self._check()
        return data

    def readline(self, limit: int = -1) -> bytes:
        line = self.gzip.readline(limit if limit and limit > 0 else CHUNK)
        self.out += len(line)
        self._check()
        return line

    def tell_compressed(self) -> int:
        return self.raw.tell()


def open_import(path: Path) -> tuple[BinaryIO, BinaryIO]:
    """(the raw file, for progress and closing; the stream to read: capped when gzipped)."""
    raw = Path(path).open("rb")  # noqa: SIM115 (the caller closes it)
    if Path(path).suffix != ".gz":
        return raw, raw
    capped = CappedGzip(raw, settings.JARIDA_IMPORT_MAX_RATIO, settings.JARIDA_IMPORT_MAX_BYTES)
    return raw, capped


@dataclass
class Line:
    number: int
    data: bytes
    #: The line was longer than the limit: `data` is empty, only its size is known.
    too_long: int = 0


def bounded_lines(stream: BinaryIO, max_line: int) -> Iterator[Line]:
    """The stream's lines (numbered from 1, newline kept off), at most `max_line` bytes held.

    A longer line is read through in pieces and comes out empty with `too_long` set.
    """
    number = 0
    while True:
        piece = stream.readline(max_line + 1)
        if not piece:
            return
        number += 1
        if piece.endswith(b"\n") or len(piece) <= max_line:
            yield Line(number, piece.rstrip(b"\r\n"))
            continue
        size = len(piece)
        while piece and not piece.endswith(b"\n"):  # drain the rest of the line
            piece = stream.readline(CHUNK)
            size += len(piece)
        yield Line(number, b"", too_long=size)
