"""PostgreSQL: a GIN index on the title's lexemes alone (`ts_filter(vector, '{a}')`), so
that search finds the stories holding a query's words in their title among thousands of
matches without ranking them all (`backends.postgres.TITLE_FIRST`). An expression index:
no new column, no rebuild of the search index. SQLite ranks every match: nothing to do.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_document_title_gin ON search_document "
    "USING gin ((ts_filter(vector, '{a}')))"
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_title_gin")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_term_lengths")]

    operations = [migrations.RunPython(add_index, drop_index, elidable=False)]
