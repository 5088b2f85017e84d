"""Index entries carry their filter fields (status, section, contributors, publication
time), so that backends are given declared fields instead of a Django queryset.

PostgreSQL: columns of `search_document`; SQLite: a plain table `search_entry` beside
the FTS5 table (an FTS5 table cannot be altered). Both are filled from the articles
table here: no index rebuild is needed after upgrading.
"""

from django.db import migrations

SQLITE = [
    """CREATE TABLE IF NOT EXISTS search_entry (
        article_id INTEGER PRIMARY KEY,
        status TEXT NOT NULL DEFAULT '',
        section_id INTEGER,
        contributor_ids TEXT NOT NULL DEFAULT ',',
        published_at TEXT
    )""",
    """INSERT OR REPLACE INTO search_entry
        (article_id, status, section_id, contributor_ids, published_at)
    SELECT a.id, a.status, a.section_id,
        ',' || COALESCE((SELECT group_concat(DISTINCT b.contributor_id)
                         FROM articles_byline b WHERE b.article_id = a.id) || ',', ''),
        a.published_at
    FROM articles_article a WHERE a.id IN (SELECT rowid FROM search_fts)""",
]
POSTGRES = [
    """ALTER TABLE search_document
        ADD COLUMN IF NOT EXISTS status varchar(16) NOT NULL DEFAULT '',
        ADD COLUMN IF NOT EXISTS section_id bigint,
        ADD COLUMN IF NOT EXISTS contributor_ids bigint[] NOT NULL DEFAULT '{}',
        ADD COLUMN IF NOT EXISTS published_at timestamptz""",
    """UPDATE search_document d SET status = a.status, section_id = a.section_id,
        published_at = a.published_at,
        contributor_ids = COALESCE((SELECT array_agg(DISTINCT b.contributor_id)
                                    FROM articles_byline b WHERE b.article_id = a.id), '{}')
    FROM articles_article a WHERE a.id = d.article_id""",
]


def add_fields(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(statement)


def drop_fields(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_entry")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_document DROP COLUMN status, DROP COLUMN section_id, "
            "DROP COLUMN contributor_ids, DROP COLUMN published_at"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_search_term"), ("articles", "0001_initial")]

    operations = [migrations.RunPython(add_fields, drop_fields)]
