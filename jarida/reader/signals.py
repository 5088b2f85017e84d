"""Everything readers could see changing drops the page cache (jarida.reader.page_cache)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from jarida.comments.signals import comment_visibility_changed
from jarida.reader.page_cache import invalidate_pages

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
        post_save.connect(invalidate_pages, sender=model, dispatch_uid=f"page-cache-{label}")
        post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"page-cache-d-{label}")
    m2m_changed.connect(
        invalidate_pages,
        sender=apps.get_model("articles.Article").tags.through,
        dispatch_uid="page-cache-tags",
    )
    comment_visibility_changed.connect(invalidate_pages, dispatch_uid="page-cache-comments")
