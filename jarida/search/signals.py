"""Keep the index in step with the articles table: every save, unpublish and delete.

A save enqueues `search.tasks.index_articles` for the article's id (one task per
transaction, whatever the number of saves in it): the words are analysed by a worker after
the commit, never inside the editor's save. The task exists only if the save commits
(jarida.tasks.queue), so a rolled-back save leaves no trace in the index.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from jarida.articles.models import Article, Byline
from jarida.core.signals import articles_saved_in_bulk, bylines_replaced
from jarida.search import services, tasks
from jarida.tasks.queue import enqueue_ids_on_commit


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, **kwargs):
    # Drafts are indexed too: visibility is decided at query time by the clock, so a
    # scheduled story is findable the second it is due.
    if not raw:
        enqueue_ids_on_commit(tasks.index_articles, [instance.pk])


@receiver(articles_saved_in_bulk, sender=Article)
def articles_saved(sender, articles, index_entries=None, new_vocabulary=None, **kwargs):
    # Bulk imports index inline, in their own batches: an import command, not an editor's
    # save. Entries made ahead (its worker processes did the text work) get their ids;
    # `new_vocabulary` (only when every article is new) is their vocabulary rows, also ahead.
    if index_entries is None:
        services.index_articles(articles)
    else:
        fields = services.entry_fields(articles)
        entries = [
            services.with_fields(e, fields[a.pk])
            for a, e in zip(articles, index_entries, strict=True)
        ]
        services.index_entries(entries, vocabulary_rows=new_vocabulary)


@receiver(pre_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    # Inline, before the row goes: PostgreSQL's index row cascades with it, so a task
    # after the commit could no longer read the terms the vocabulary must subtract. One
    # DELETE by key; a failed delete rolls this back with it.
    services.remove_articles([instance.pk])


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def byline_changed(sender, instance, raw=False, **kwargs):
    # The entry carries its contributors for the writer filter. A save replaces bylines
    # after the article's own post_save: the same after-commit task (one per transaction)
    # reads them as committed.
    if not raw:
        enqueue_ids_on_commit(tasks.index_articles, [instance.article_id])


@receiver(bylines_replaced, sender=Article)
def bylines_replaced_in_bulk(sender, article, **kwargs):
    enqueue_ids_on_commit(tasks.index_articles, [article.pk])
