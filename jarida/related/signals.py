"""Recompute an article's related stories whenever it, its tags or its editor's pins change."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from jarida.articles.models import Article
from jarida.related.models import RelatedChoice
from jarida.related.tasks import enqueue_after_commit


@receiver(post_save, sender=Article, dispatch_uid="related-article-saved")
def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue_after_commit(instance.pk)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="related-tags-changed")
def tags_changed(sender, instance, action, reverse=False, **kwargs):
    if action.startswith("post_") and not reverse:
        enqueue_after_commit(instance.pk)


@receiver([post_save, post_delete], sender=RelatedChoice, dispatch_uid="related-choice")
def choice_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue_after_commit(instance.article_id)
