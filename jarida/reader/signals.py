"""Changes readers could see invalidate the pages showing them (jarida.reader.invalidation)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from jarida.comments.signals import comment_visibility_changed
from jarida.core.signals import articles_saved_in_bulk, content_changed
from jarida.reader import invalidation as inv


def _everything(sender, raw=False, **kwargs):
    if not raw:
        inv.invalidate_everything()


def connect() -> None:
    article = apps.get_model("articles.Article")
    byline = apps.get_model("articles.Byline")
    pre_save.connect(inv.article_before_save, sender=article, dispatch_uid="pc-article-pre")
    post_save.connect(inv.article_saved, sender=article, dispatch_uid="pc-article")
    pre_delete.connect(inv.article_deleted, sender=article, dispatch_uid="pc-article-d")
    m2m_changed.connect(inv.tags_changed, sender=article.tags.through, dispatch_uid="pc-tags")
    pre_save.connect(inv.byline_before_save, sender=byline, dispatch_uid="pc-byline-pre")
    post_save.connect(inv.byline_changed, sender=byline, dispatch_uid="pc-byline")
    post_delete.connect(inv.byline_changed, sender=byline, dispatch_uid="pc-byline-d")
    for label in ("articles.Tag", "articles.Agency", "accounts.Contributor"):
        model = apps.get_model(label)
        post_save.connect(inv.renamed_or_deleted, sender=model, dispatch_uid=f"pc-{label}")
        post_delete.connect(inv.renamed_or_deleted, sender=model, dispatch_uid=f"pc-d-{label}")
    # The menu is on every page; so are the site settings.
    for label in ("articles.Section", "core.SiteSettings"):
        model = apps.get_model(label)
        post_save.connect(_everything, sender=model, dispatch_uid=f"pc-{label}")
        post_delete.connect(_everything, sender=model, dispatch_uid=f"pc-d-{label}")
    image = apps.get_model("media.Image")
    post_save.connect(inv.image_changed, sender=image, dispatch_uid="pc-image")
    pre_delete.connect(inv.image_changed, sender=image, dispatch_uid="pc-image-d")
    # Sent after commit already (invalidate then acts at once).
    comment_visibility_changed.connect(inv.comment_shown_or_hidden, dispatch_uid="pc-comments")
    content_changed.connect(inv.invalidate_everything, dispatch_uid="pc-content")
    articles_saved_in_bulk.connect(inv.articles_saved_in_bulk, dispatch_uid="pc-bulk")
