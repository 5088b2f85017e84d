"""PostgreSQL: a GIN index on the title's lexemes alone (`ts_filter(vector, '{a}')`), so
that search finds the stories holding a query's words in their title among thousands of
matches without ranking them all (`backends.postgres.TITLE_FIRST`). An expression index:
no new column, no rebuild of the search index. SQLite ranks every match: nothing to do.

Built CONCURRENTLY, outside a transaction: the newsroom's saves (which write
`search_document`) go on while a large archive's index is built. A build cut off leaves
an invalid index behind; running the migration again drops it and builds it anew.
"""

from django.db import migrations

NAME = "search_document_title_gin"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [NAME],
        )
        found = cursor.fetchone()
    if found and found[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON search_document "
        "USING gin ((ts_filter(vector, '{a}')))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("search", "0004_search_term_lengths")]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
