from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jarida.core.signals import content_changed
from jarida.pages.models import FOOTER_KEY, Page


@receiver([post_save, post_delete], sender=Page, dispatch_uid="pages-changed")
def page_changed(**kwargs):
    transaction.on_commit(lambda: cache.delete(FOOTER_KEY))
    content_changed.send(sender=Page)  # every page's footer lists them
