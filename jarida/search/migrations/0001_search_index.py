"""The full-text index table, in the form the database's search backend needs."""

from django.db import migrations

from jarida.search.backends import postgres, sqlite_fts5


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(sqlite_fts5.CREATE_SQL)
    elif vendor == "postgresql":
        for statement in postgres.CREATE_SQL:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(sqlite_fts5.DROP_SQL)
    elif vendor == "postgresql":
        schema_editor.execute(postgres.DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
