"""Recompute an article's related stories whenever it (once indexed), its tags or its
editor's pins change."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from jarida.articles.models import Article
from jarida.core.signals import articles_indexed
from jarida.related.models import RelatedArticle, RelatedChoice
from jarida.related.tasks import enqueue_after_commit


@receiver(articles_indexed, dispatch_uid="related-article-indexed")
def article_indexed(sender, article_ids, **kwargs):
    # After the search index task wrote the story's terms (the selection reads them and
    # the vocabulary), never in a race with it when several workers run.
    for pk in article_ids:
        enqueue_after_commit(pk)


@receiver(pre_delete, sender=Article, dispatch_uid="related-article-deleted")
def article_deleted(sender, instance, **kwargs):
    # Before the rows cascade away: they say which cached blocks show this story.
    from jarida.related.services import CARDS_KEY, forget_cards_showing

    forget_cards_showing(instance.pk)
    showing = RelatedArticle.objects.filter(related=instance).values_list("article_id", flat=True)
    keys = [CARDS_KEY.format(pk) for pk in showing]
    # Again once committed: a page shown in between may have cached the rows still there.
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="related-tags-changed")
def tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action.startswith("post_") and not reverse:
        enqueue_after_commit(instance.pk)


@receiver([post_save, post_delete], sender=RelatedChoice, dispatch_uid="related-choice")
def choice_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue_after_commit(instance.article_id)
