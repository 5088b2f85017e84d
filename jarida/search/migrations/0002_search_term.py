"""The index's vocabulary: document frequency and spelling skeleton of each term."""

from django.db import migrations

from jarida.search import vocabulary


def create_table(apps, schema_editor):
    for statement in vocabulary.CREATE_SQL:
        schema_editor.execute(statement)


def drop_table(apps, schema_editor):
    schema_editor.execute(vocabulary.DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(create_table, drop_table)]
