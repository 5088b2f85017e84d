"""The translation desk's inputs: agency wire feeds and the items they bring in.

Feeds are fetched by the ingest command (jarida.importers); items wait in the desk's
queue until a translator takes one, which creates a draft article linked to it.
Nothing from the wire is ever published directly.
"""

from django.conf import settings
from django.db import models

from jarida.core.fields import CleanCharField
from jarida.core.text import html_paragraphs


class WireFeed(models.Model):
    class Format(models.TextChoices):
        RSS = "rss", "RSS 2.0"
        ATOM = "atom", "Atom"
        NINJS = "ninjs", "IPTC ninjs (JSON)"

    name = CleanCharField("الاسم", max_length=150)
    url = models.URLField("الرابط", max_length=500, unique=True)
    format = models.CharField("الصيغة", max_length=8, choices=Format.choices, default=Format.RSS)
    agency = models.ForeignKey(
        "articles.Agency", verbose_name="الوكالة", on_delete=models.PROTECT, related_name="feeds"
    )
    language = models.CharField("اللغة", max_length=16, default="en")
    is_active = models.BooleanField("مفعّل", default=True)
    last_fetched_at = models.DateTimeField("آخر جلب", null=True, blank=True, editable=False)
    last_error = models.TextField("آخر خطأ", blank=True, editable=False)

    class Meta:
        verbose_name = "مصدر وكالة"
        verbose_name_plural = "مصادر الوكالات"
        ordering = ["name"]

    def __str__(self):
        return self.name


class WireItemQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(taken_by__isnull=True)

    def taken(self):
        return self.filter(taken_by__isnull=False)


class WireItem(models.Model):
    """One story from an agency, in its original language, waiting for a translator."""

    feed = models.ForeignKey(
        WireFeed, verbose_name="المصدر", on_delete=models.CASCADE, related_name="items"
    )
    guid = models.CharField("المعرّف", max_length=500)
    url = models.URLField("رابط الأصل", max_length=1000, blank=True)
    title = CleanCharField("العنوان", max_length=500)
    body = models.TextField("النص", blank=True, help_text="HTML منقّى أو نص عادي.")
    language = models.CharField("اللغة", max_length=16, default="en")
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    original_published_at = models.DateTimeField("تاريخ النشر الأصلي", null=True, blank=True)
    received_at = models.DateTimeField("وصل في", auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أخذه",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    taken_at = models.DateTimeField("أُخذ في", null=True, blank=True)
    article = models.OneToOneField(
        "articles.Article",
        verbose_name="الترجمة",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_item",
    )

    objects = WireItemQuerySet.as_manager()

    class Meta:
        verbose_name = "خبر وكالة"
        verbose_name_plural = "أخبار الوكالات"
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="wire_item_unique_guid")
        ]

    def __str__(self):
        return self.title

    def plain_paragraphs(self) -> list[str]:
        """The original's paragraphs as plain text (bodies come as HTML or as text)."""
        return html_paragraphs(self.body)

    @property
    def state(self) -> str:
        if self.article_id and self.article.is_visible:
            return "نُشرت الترجمة"
        if self.taken_by_id:
            return f"يترجمه {self.taken_by}"
        return "ينتظر مترجمًا"
