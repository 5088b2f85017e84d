"""The vocabulary's row of summed entry lengths (vocabulary.LENGTHS), from its own counts.

Every term's document frequency is the number of entries holding it, so their sum is
the sum of each entry's number of distinct terms: no pass over the index is needed.
"""

from django.db import migrations

from jarida.search import vocabulary


def add_lengths(apps, schema_editor):
    table = vocabulary.TABLE
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE term = %s", [vocabulary.DOCUMENTS])
        if cursor.fetchone() is None:
            return  # nothing indexed yet: indexing writes the row, as it writes every term
    # Written as `vocabulary.apply` writes it (its skeleton included), so an archive
    # migrated here and one indexed afresh hold the same row.
    schema_editor.execute(
        f"INSERT INTO {table} (term, skeleton, df) "
        f"SELECT %s, %s, COALESCE(SUM(df), 0) FROM {table} WHERE term NOT IN (%s, %s)",
        [
            vocabulary.LENGTHS,
            vocabulary.skeleton(vocabulary.LENGTHS),
            vocabulary.DOCUMENTS,
            vocabulary.LENGTHS,
        ],
    )


def remove_lengths(apps, schema_editor):
    schema_editor.execute(f"DELETE FROM {vocabulary.TABLE} WHERE term = %s", [vocabulary.LENGTHS])


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_entry_filter_fields")]

    operations = [migrations.RunPython(add_lengths, remove_lengths)]
