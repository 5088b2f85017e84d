"""Writers' and tags' archive entries, with their story's status and publication time,
filled from the bylines and tags here (jarida/articles/listings.py keeps them in step)."""

import django.db.models.deletion
from django.db import migrations, models

FILL_WRITERS = """
INSERT INTO articles_writerentry (article_id, contributor_id, status, published_at)
SELECT DISTINCT b.article_id, b.contributor_id, a.status, a.published_at
FROM articles_byline AS b JOIN articles_article AS a ON a.id = b.article_id
"""
FILL_TAGS = """
INSERT INTO articles_tagentry (article_id, tag_id, status, published_at)
SELECT t.article_id, t.tag_id, a.status, a.published_at
FROM articles_article_tags AS t JOIN articles_article AS a ON a.id = t.article_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_contributor_login_email"),
        ("articles", "0007_article_sponsored"),
    ]

    operations = [
        migrations.CreateModel(
            name="WriterEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(max_length=16)),
                ("published_at", models.DateTimeField(null=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="writer_entries", to="articles.article")),
                ("contributor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.contributor")),
            ],
            options={"unique_together": {("contributor", "article")}},
        ),
        migrations.CreateModel(
            name="TagEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(max_length=16)),
                ("published_at", models.DateTimeField(null=True)),
                ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tag_entries", to="articles.article")),
                ("tag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="articles.tag")),
            ],
            options={"unique_together": {("tag", "article")}},
        ),
        migrations.RunSQL(FILL_WRITERS, migrations.RunSQL.noop),
        migrations.RunSQL(FILL_TAGS, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="writerentry",
            index=models.Index(fields=["contributor", "status", "-published_at", "-article"], name="writer_entry_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="tagentry",
            index=models.Index(fields=["tag", "status", "-published_at", "-article"], name="tag_entry_newest_idx"),
        ),
    ]
