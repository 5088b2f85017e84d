from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from jarida.core.signals import content_changed
from jarida.sponsorship.models import Campaign, Creative, Placement
from jarida.sponsorship.services import forget_creatives


def _changed(**kwargs):
    # After commit: drop the creatives list, then every cached page (they embed it).
    transaction.on_commit(forget_creatives)
    content_changed.send(sender=Campaign)


for model in (Campaign, Creative, Placement):
    post_save.connect(_changed, sender=model, dispatch_uid=f"sponsor-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"sponsor-del-{model.__name__}")


@receiver(m2m_changed, sender=Campaign.sections.through, dispatch_uid="sponsor-sections")
def sections_changed(**kwargs):
    _changed()
