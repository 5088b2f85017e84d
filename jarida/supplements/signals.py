from django.db import transaction
from django.db.models.signals import post_delete, post_save

from jarida.core.signals import content_changed
from jarida.supplements.models import Issue, Series
from jarida.supplements.services import forget_latest


def _changed(**kwargs):
    transaction.on_commit(forget_latest)
    content_changed.send(sender=Issue)


for model in (Series, Issue):
    post_save.connect(_changed, sender=model, dispatch_uid=f"supplements-save-{model.__name__}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"supplements-del-{model.__name__}")
