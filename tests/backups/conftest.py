"""A site on disk to back up (the test database as a file, or PostgreSQL's test database)
and an empty place to restore it into."""

import sqlite3

import pytest
from django.db import connection
from restore_drill import default_database

from jarida.backups import postgres
from jarida.backups.services import Site


@pytest.fixture
def live_site(transactional_db, tmp_path, settings):
    """The test site with its data on disk: SQLite as a WAL file, media in a temp folder.

    On SQLite the (in-memory, migrated) test database is copied into a file that the
    default connection and every thread then use; on PostgreSQL it is used as it is.
    """
    data_dir = tmp_path / "source"
    media = data_dir / "media"
    media.mkdir(parents=True)
    (data_dir / "secret_key").write_text("drill-secret-key-of-the-source-site")
    settings.MEDIA_ROOT = media
    settings.DATA_DIR = data_dir
    if connection.vendor == "sqlite":
        path = data_dir / "jarida.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        with default_database(str(path)):
            yield Site(dict(connection.settings_dict), media, data_dir)
    else:
        yield Site(dict(connection.settings_dict), media, data_dir)


@pytest.fixture
def empty_site(tmp_path):
    """An empty data directory, and on PostgreSQL an empty database of its own."""
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    database = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        database["NAME"] = str(data_dir / "jarida.sqlite3")
        yield Site(database, data_dir / "media", data_dir)
        return
    # `test_jarida_ops` → `jarida_ops_restore`: beside the configured database's name.
    database["NAME"] = connection.settings_dict["NAME"].removeprefix("test_") + "_restore"
    admin = dict(database, NAME="postgres")
    with postgres.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{database["NAME"]}"')
    yield Site(database, data_dir / "media", data_dir)
    with postgres.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
