"""PostgreSQL: pg_dump's custom format taken inside an exported snapshot, pg_restore back.

The row counts in the manifest and the dump come from the same snapshot, so a restore can
be checked table by table even though writers went on during the dump.
"""

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql


class ToolMissing(Exception):
    """pg_dump or pg_restore is not on PATH."""


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(
            f"{name} is not on PATH. Install PostgreSQL's client tools of the server's "
            f"major version or newer (Debian: apt-get install postgresql-client)."
        )
    return found


def libpq_environment(database: dict) -> dict[str, str]:
    """Connection settings as libpq variables: passwords stay out of the process list."""
    env = dict(os.environ)
    pairs = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env


def connect(database: dict, **kwargs) -> psycopg.Connection:
    env = libpq_environment(database)
    return psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=env.get("PGDATABASE"),
        sslmode=env.get("PGSSLMODE"),
        **kwargs,
    )


def _tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for name in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
        counts[name] = cursor.fetchone()[0]
    return counts


@contextmanager
def exported_snapshot(database: dict):
    """Yield (snapshot id, row counts, applied migrations) seen by one frozen transaction."""
    with connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        counts = _counts(cursor)
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations = [list(row) for row in cursor.fetchall()]
        # The snapshot lives as long as this transaction: pg_dump runs inside the block.
        yield snapshot_id, counts, migrations
        connection.rollback()


def dump(database: dict, destination: Path, snapshot_id: str) -> None:
    """pg_dump --format=custom of the snapshot into `destination`."""
    command = [
        tool("pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot_id}",
        f"--file={destination}",
    ]
    run(command, database)


def restore(database: dict, source: Path, clean: bool = False) -> None:
    """pg_restore into the configured database in one transaction: all of it or nothing."""
    command = [
        tool("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={database['NAME']}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    run([*command, str(source)], database)
    # pg_restore brings no planner statistics: without them searches walk every article.
    with connect(database, autocommit=True) as connection:
        connection.execute("ANALYZE")


def run(command: list[str], database: dict) -> None:
    result = subprocess.run(
        command, env=libpq_environment(database), capture_output=True, text=True
    )
    if result.returncode != 0:
        name = Path(command[0]).name
        raise subprocess.SubprocessError(
            f"{name} failed ({result.returncode}): {result.stderr.strip()}"
        )


def table_counts(database: dict) -> dict[str, int]:
    with connect(database) as connection, connection.cursor() as cursor:
        return _counts(cursor)


def tables(database: dict) -> list[str]:
    with connect(database) as connection, connection.cursor() as cursor:
        return _tables(cursor)


def versions(database: dict) -> dict[str, str]:
    result = subprocess.run([tool("pg_dump"), "--version"], capture_output=True, text=True)
    with connect(database) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return {"pg_dump_version": result.stdout.strip(), "server_version": server}
