"""SQLite: an online copy through SQLite's backup API, never a copy of the live files.

A file copy of a WAL database can miss committed pages still in the -wal file or catch a
page half written; the backup API copies a consistent snapshot while writers go on.
"""

import gzip
import shutil
import sqlite3
from pathlib import Path

from jarida.backups.archive import CHUNK

#: zlib level for the database member: 1 packs the text to about a third at ~100 MB/s
#: (level 6 packs a few per cent smaller, three times slower; see docs/operations.md).
COMPRESS_LEVEL = 1


def snapshot(database: Path, destination: Path) -> None:
    """Copy `database` to `destination` at one instant, as a single self-contained file."""
    # mode=rw: never create an empty database where the real one is missing.
    source = sqlite3.connect(f"file:{database}?mode=rw", uri=True, timeout=30)
    target = sqlite3.connect(destination)
    try:
        # One step (pages=-1) is one read transaction: a consistent snapshot. In WAL mode
        # writers are not blocked by it, and it is not restarted by their commits.
        source.backup(target, pages=-1)
        # The copy needs no -wal file beside it: a single file travels in the archive.
        target.execute("PRAGMA journal_mode=DELETE")
        result = target.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise sqlite3.DatabaseError(f"the snapshot fails quick_check: {result}")
    finally:
        target.close()
        source.close()


def table_counts(database: Path) -> dict[str, int]:
    """Rows in every table of a SQLite file (FTS5 shadow tables included)."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }
    finally:
        connection.close()


def applied_migrations(database: Path) -> list[list[str]]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [list(row) for row in rows]
    finally:
        connection.close()


def compress(source: Path, destination: Path) -> None:
    with open(source, "rb") as raw, gzip.open(destination, "wb", COMPRESS_LEVEL) as packed:
        shutil.copyfileobj(raw, packed, CHUNK)


def decompress(source, destination: Path) -> None:
    """Unpack a gzip stream (a file object) into `destination`."""
    with gzip.open(source, "rb") as packed, open(destination, "xb") as raw:
        shutil.copyfileobj(packed, raw, CHUNK)


def version() -> str:
    return sqlite3.sqlite_version
