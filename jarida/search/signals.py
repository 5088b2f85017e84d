"""Keep the index in step with the articles table: every save, unpublish and delete.

The index lives in the same database, so it is written in the same transaction as the
article: a rolled-back save leaves no trace in it.
"""

from dataclasses import replace

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from jarida.articles.models import Article
from jarida.core.signals import articles_saved_in_bulk
from jarida.search import services


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    # Drafts are indexed too: visibility is decided at query time by the clock, so a
    # scheduled story is findable the second it is due.
    if not raw:
        services.index_articles([instance])


@receiver(articles_saved_in_bulk, sender=Article)
def articles_saved(sender, articles, index_entries=None, new_vocabulary=None, **kwargs):
    # Entries made ahead (a worker process did the text work) get their articles' ids;
    # `new_vocabulary` (only when every article is new) is their vocabulary rows, also ahead.
    if index_entries is None:
        services.index_articles(articles)
    else:
        entries = [
            replace(e, article_id=a.pk) for a, e in zip(articles, index_entries, strict=True)
        ]
        services.index_entries(entries, vocabulary_rows=new_vocabulary)


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    # Before the row goes: PostgreSQL's index row cascades with it, and the vocabulary
    # needs its terms. A failed delete rolls this back with it.
    services.remove_articles([instance.pk])
