"""The excerpt stored with each article (cards, feeds, the API, page descriptions), worked
out once here for the articles already saved instead of on every request."""

from django.db import migrations

import jarida.articles.models
from jarida.core.text import excerpt, html_to_text

# The length Article.excerpt() gives by default (EXCERPT_CHARS), frozen as of this migration.
EXCERPT_CHARS = 220


def fill_excerpts(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    rows = Article.objects.order_by("pk").values_list("pk", "summary", "body")
    batch = []
    for pk, summary, body in rows.iterator(chunk_size=1000):
        text = summary or html_to_text(body)
        batch.append(Article(pk=pk, excerpt_text=excerpt(text, EXCERPT_CHARS) if text else ""))
        if len(batch) == 1000:
            Article.objects.bulk_update(batch, ["excerpt_text"])
            batch = []
    Article.objects.bulk_update(batch, ["excerpt_text"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_newsroom_workflow")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="excerpt_text",
            field=jarida.articles.models.ExcerptField(
                blank=True, editable=False, verbose_name="المقتطف"
            ),
        ),
        migrations.RunPython(fill_excerpts, migrations.RunPython.noop, elidable=True),
    ]
