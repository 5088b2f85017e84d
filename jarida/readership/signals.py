from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jarida.articles.models import Article
from jarida.readership.counting import forget_top


@receiver([post_save, post_delete], sender=Article, dispatch_uid="readership-forget-top")
def article_changed(sender, **kwargs):
    # After commit: a page rendered in between would store the old lists again.
    transaction.on_commit(forget_top)
