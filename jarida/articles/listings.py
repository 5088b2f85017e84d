"""Writers' and tags' archive entries (`WriterEntry`, `TagEntry`) kept in step with articles.

An entry carries a copy of its story's status and publication time, so a writer's or a
tag's archive is read newest first off an index of its own (docs/performance.md, "Listings
on a large archive"). `sync` is the one function that writes entries, rebuilding an
article's from its bylines, tags, status and time. Bylines are written by the article
services (`save_article`, `save_articles_in_bulk`) and the back office's byline rows
(`ArticleAdmin.save_related`): both call it. The receivers below call it for every write
of an article's status or time (an edit, the workflow's transitions) and of its tags
(`tags.set`, the back office's tag field).
"""

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from jarida.articles.models import Article, Byline, TagEntry, WriterEntry

#: Article fields the entries copy: a save that writes neither leaves them alone.
COPIED = frozenset({"status", "published_at"})


def sync(article_ids: Iterable[int]) -> None:
    """Rebuild these articles' writer and tag entries (four queries for any number)."""
    ids = list(article_ids)
    if not ids:
        return
    WriterEntry.objects.filter(article_id__in=ids).delete()
    TagEntry.objects.filter(article_id__in=ids).delete()
    story = ("article__status", "article__published_at")
    credited = Byline.objects.filter(article_id__in=ids).order_by().distinct()
    WriterEntry.objects.bulk_create(
        WriterEntry(article_id=a, contributor_id=c, status=s, published_at=p)
        for a, c, s, p in credited.values_list("article_id", "contributor_id", *story)
    )
    tagged = Article.tags.through.objects.filter(article_id__in=ids)
    TagEntry.objects.bulk_create(
        TagEntry(article_id=a, tag_id=t, status=s, published_at=p)
        for a, t, s, p in tagged.values_list("article_id", "tag_id", *story)
    )


@receiver(post_save, sender=Article, dispatch_uid="listings-article-saved")
def article_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or created or (update_fields is not None and not COPIED & set(update_fields)):
        return  # a new article has no bylines or tags yet; save_article syncs after them
    sync([instance.pk])


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="listings-tags-changed")
def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        sync([instance.pk])
    elif pk_set is None:  # tag.articles.clear()
        TagEntry.objects.filter(tag=instance).delete()
    else:  # tag.articles.add(…) or remove(…): pk_set holds the articles
        sync(pk_set)
