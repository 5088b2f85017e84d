from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from jarida.articles.models import Article
from jarida.core.signals import articles_saved_in_bulk, content_changed
from jarida.sponsorship.models import Campaign, Creative, Placement
from jarida.sponsorship.services import forget_creatives, sync_sponsored


def _changed(**kwargs):
    # After commit: drop the creatives list, then every cached page (they embed it).
    transaction.on_commit(forget_creatives)
    content_changed.send(sender=Campaign)


def _creative_changed(**kwargs):
    # A story named or let go changes its label wherever it is shown.
    sync_sponsored()
    _changed()


for model in (Campaign, Placement):
    post_save.connect(_changed, sender=model, dispatch_uid=f"sponsor-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"sponsor-del-{model.__name__}")
post_save.connect(_creative_changed, sender=Creative, dispatch_uid="sponsor-save-Creative")
post_delete.connect(_creative_changed, sender=Creative, dispatch_uid="sponsor-del-Creative")


@receiver(m2m_changed, sender=Campaign.sections.through, dispatch_uid="sponsor-sections")
def sections_changed(**kwargs):
    _changed()


@receiver(post_save, sender=Article, dispatch_uid="sponsor-story-saved")
def sponsored_story_saved(sender, instance, **kwargs):
    """A paid story edited, unpublished or moved: the slots promoting it follow (its
    title, picture and address are in the creatives list every page's slot prints)."""
    if instance.sponsored:
        _changed()


@receiver(articles_saved_in_bulk, dispatch_uid="sponsor-stories-bulk")
def sponsored_stories_saved_in_bulk(sender, articles, **kwargs):
    """An import rewriting a paid story: as `sponsored_story_saved`."""
    if any(article.sponsored for article in articles):
        _changed()
