"""The restore drill's tools: point Django at another database, read every row, compare."""

import re
import sqlite3
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connections

from jarida.backups import postgres
from jarida.backups.services import Site

#: Tests that commit for real. With `available_apps` Django's flush afterwards truncates
#: with CASCADE, which PostgreSQL needs: the search table references the articles.
ON_DISK = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))

# SQLite's FTS5 keeps its index in shadow tables whose layout depends on the order of
# writes; the virtual table itself (search_fts) is compared row by row instead.
FTS_SHADOW = re.compile(r"^search_fts_(data|idx|docsize|config|content)$")


@contextmanager
def default_database(name):
    """Point the default connection (and every new thread's) at another database.

    The current connection is set aside, not closed: an in-memory SQLite test database
    lives only as long as a connection to it is open.
    """
    connection = connections["default"]
    settings_dict = connection.settings_dict  # the same dict new threads' connections use
    saved_name, saved_raw = settings_dict["NAME"], connection.connection
    connection.connection = None
    settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = saved_raw


def model_tables() -> dict[str, str]:
    """Table name → model label for every model, many-to-many tables included."""
    return {
        model._meta.db_table: model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy
    }


def read_tables(site: Site) -> dict[str, list[dict]]:
    """Every row of every table (FTS5 shadow tables aside), as dicts, in a stable order."""
    if site.vendor == "sqlite":
        connection = sqlite3.connect(site.database["NAME"])
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables = {}
        for name in names:
            if FTS_SHADOW.match(name):
                continue
            select = "rowid, *" if name == "search_fts" else "*"
            cursor = connection.execute(f'SELECT {select} FROM "{name}"')
            tables[name] = _rows(cursor)
        connection.close()
        return tables
    with postgres.connect(site.database) as connection, connection.cursor() as cursor:
        tables = {}
        for name in postgres.tables(site.database):
            cursor.execute(f'SELECT * FROM "{name}"')
            tables[name] = _rows(cursor)
        return tables


def _rows(cursor) -> list[dict]:
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return sorted(rows, key=lambda row: [repr(value) for value in row.values()])


def compare_tables(
    source: dict[str, list[dict]],
    restored: dict[str, list[dict]],
    written_later: Callable[[str, dict], bool] = lambda table, row: False,
) -> dict[str, int]:
    """Rows compared per table; AssertionError on the first table that differs.

    `written_later(table, row)` marks source rows a writer may have committed after
    the snapshot: they are left out of the source side (the restored side must hold
    no row that the source lacks).
    """
    assert set(restored) == set(source), set(restored) ^ set(source)
    compared = {}
    for table, rows in source.items():
        expected = [row for row in rows if not written_later(table, row)]
        found = [row for row in restored[table] if not written_later(table, row)]
        assert found == expected, (
            f"{table}: restored rows differ from the source",
            [r for r in found if r not in expected][:3],
            [r for r in expected if r not in found][:3],
        )
        later = [row for row in restored[table] if written_later(table, row)]
        assert all(row in rows for row in later), f"{table}: a restored row is not in the source"
        compared[table] = len(found)
    return compared


def media_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


NONCE = re.compile(rb' nonce="[^"]*"')


def page_bytes(response) -> bytes:
    """A response's body with per-request CSP nonces blanked."""
    return NONCE.sub(b' nonce=""', response.content)
