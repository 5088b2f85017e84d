"""Everything readers could see changing drops the page cache (jarida.reader.page_cache)."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from jarida.comments.signals import comment_visibility_changed
from jarida.core.signals import articles_saved_in_bulk, content_changed
from jarida.reader.page_cache import invalidate_pages


def invalidate_after_commit(**kwargs) -> None:
    # Not before: a reader served between the write and its commit would put the old
    # page back in the cache under the new generation.
    transaction.on_commit(invalidate_pages)


WATCHED = [
    "articles.Article",
    "articles.Byline",
    "articles.Section",
    "articles.Tag",
    "articles.Agency",
    "accounts.Contributor",
    "media.Image",
    "core.SiteSettings",
]


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(invalidate_after_commit, sender=model, dispatch_uid=f"pc-{label}")
        post_delete.connect(invalidate_after_commit, sender=model, dispatch_uid=f"pc-d-{label}")
    m2m_changed.connect(
        invalidate_after_commit,
        sender=apps.get_model("articles.Article").tags.through,
        dispatch_uid="page-cache-tags",
    )
    # Sent after commit already.
    comment_visibility_changed.connect(invalidate_pages, dispatch_uid="page-cache-comments")
    content_changed.connect(invalidate_after_commit, dispatch_uid="page-cache-content")
    articles_saved_in_bulk.connect(invalidate_after_commit, dispatch_uid="page-cache-bulk")
