"""What the importers leave behind: a record of each run, old links, imported media."""

from django.db import models


class ImportRun(models.Model):
    """One run of an importer: what it read, when, and what came of each item."""

    class Kind(models.TextChoices):
        WXR = "wxr", "ووردبريس (WXR)"
        NDJSON = "ndjson", "أرشيف NDJSON"
        WIRE = "wire", "مصادر الوكالات"

    class Status(models.TextChoices):
        RUNNING = "running", "قيد التشغيل"
        FINISHED = "finished", "انتهى"
        FAILED = "failed", "توقف بخطأ"
        INTERRUPTED = "interrupted", "قُطع"

    kind = models.CharField("النوع", max_length=8, choices=Kind.choices)
    source = models.CharField("المصدر", max_length=500)
    status = models.CharField(
        "الحالة", max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField("بدأ في", auto_now_add=True)
    finished_at = models.DateTimeField("انتهى في", null=True, blank=True)
    created = models.PositiveIntegerField("أُنشئ", default=0)
    updated = models.PositiveIntegerField("حُدِّث", default=0)
    skipped = models.PositiveIntegerField("تُخطّي", default=0)
    failed = models.PositiveIntegerField("فشل", default=0)
    # [{"item": "...", "reason": "..."}], the first ones only (see ImportReport.MAX_DETAILS).
    failures = models.JSONField("الإخفاقات", default=list, blank=True)
    warnings = models.JSONField("التنبيهات", default=list, blank=True)
    # Counts by kind of item and by mapping ("status publish → published": 55, …).
    tally = models.JSONField("الأعداد", default=dict, blank=True)
    error = models.TextField("الخطأ", blank=True)

    class Meta:
        verbose_name = "عملية استيراد"
        verbose_name_plural = "عمليات الاستيراد"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.source}"


class LegacyPermalink(models.Model):
    """An old address of an article (`/2012/01/03/slug/`, `/?p=123`): answers 301 to it."""

    path = models.CharField(
        "الرابط القديم",
        max_length=500,
        unique=True,
        help_text="المسار كما يطلبه المتصفح بعد فك الترميز، مثل /2012/01/03/slug/ أو /?p=123",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="المقال",
        on_delete=models.CASCADE,
        related_name="legacy_permalinks",
    )

    class Meta:
        verbose_name = "رابط قديم"
        verbose_name_plural = "الروابط القديمة"
        ordering = ["path"]

    def __str__(self):
        return self.path


class ImportedAttachment(models.Model):
    """A WordPress attachment: its URL is recorded; the file is fetched only from allowed hosts."""

    key = models.CharField(max_length=255, unique=True, editable=False)
    url = models.URLField("الرابط", max_length=1000, blank=True)
    title = models.CharField("العنوان", max_length=300, blank=True)
    alt_text = models.CharField("النص البديل", max_length=250, blank=True)
    # The post it was uploaded to (an Article external_id; that post may not be imported).
    parent_key = models.CharField(max_length=255, blank=True, editable=False)
    featured_in = models.ForeignKey(
        "articles.Article",
        verbose_name="صورة رئيسية لـ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    image = models.ForeignKey(
        "media.Image",
        verbose_name="الصورة المجلوبة",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "مرفق مستورد"
        verbose_name_plural = "المرفقات المستوردة"
        ordering = ["key"]

    def __str__(self):
        return self.url or self.key
