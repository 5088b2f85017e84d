"""Keep cached navigation in step with the sections table."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jarida.articles.models import Section
from jarida.articles.navigation import forget_sections


@receiver([post_save, post_delete], sender=Section)
def section_changed(sender, **kwargs):
    forget_sections()
