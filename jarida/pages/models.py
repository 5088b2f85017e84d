"""The paper's own pages (about, contact, advertise, privacy), edited in the back office."""

from django.core.cache import cache
from django.db import models
from django.urls import reverse

from jarida.core.fields import CleanCharField, RichTextField

FOOTER_KEY = "pages:footer:v1"


class Page(models.Model):
    title = CleanCharField("العنوان", max_length=200)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)
    body = RichTextField("النص", blank=True)
    in_footer = models.BooleanField("في تذييل الموقع", default=True)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)
    updated_at = models.DateTimeField("عُدِّل في", auto_now=True)

    class Meta:
        verbose_name = "صفحة"
        verbose_name_plural = "صفحات الموقع"
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page", args=[self.slug])


def footer_pages() -> list[dict]:
    """The footer's pages, from the shared cache (no query per page view)."""
    found = cache.get(FOOTER_KEY)
    if found is None:
        found = [
            {"title": p.title, "url": p.get_absolute_url()}
            for p in Page.objects.filter(in_footer=True)
        ]
        cache.set(FOOTER_KEY, found, 3600)
    return found
