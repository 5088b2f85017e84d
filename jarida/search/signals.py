"""Keep the index in step with the articles table: every save, unpublish and delete.

The index lives in the same database, so it is written in the same transaction as the
article: a rolled-back save leaves no trace in it.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from jarida.articles.models import Article, Byline
from jarida.core.signals import articles_saved_in_bulk, bylines_replaced
from jarida.search import services


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    # Drafts are indexed too: visibility is decided at query time by the clock, so a
    # scheduled story is findable the second it is due.
    if not raw:
        services.index_articles([instance])


@receiver(articles_saved_in_bulk, sender=Article)
def articles_saved(sender, articles, index_entries=None, **kwargs):
    # Entries made ahead (a worker process did the text work) get their articles' ids.
    if index_entries is None:
        services.index_articles(articles)
    else:
        fields = services.entry_fields(articles)
        entries = [
            services.with_fields(e, fields[a.pk])
            for a, e in zip(articles, index_entries, strict=True)
        ]
        services.index_entries(entries)


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    # Before the row goes: PostgreSQL's index row cascades with it, and the vocabulary
    # needs its terms. A failed delete rolls this back with it.
    services.remove_articles([instance.pk])


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def byline_changed(sender, instance, raw=False, **kwargs):
    # The entry carries its contributors for the writer filter. A save replaces bylines
    # after the article's own post_save, so the entry's fields follow each change.
    if not raw:
        services.refresh_fields([instance.article_id])


@receiver(bylines_replaced, sender=Article)
def bylines_replaced_in_bulk(sender, article, **kwargs):
    services.refresh_fields([article.pk])
