"""Sponsored slots: where paid content goes (placements), who pays and when (campaigns),
and what is shown (creatives: an image with its link, or a sponsored article). The
`اعلان ممول` label belongs to the slot and to the paid story, not to the creative: no
field can switch it off."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from jarida.articles.models import Section
from jarida.core.fields import CleanCharField


class Placement(models.Model):
    class Position(models.TextChoices):
        TOP = "top", "أعلى الصفحة"
        IN_ARTICLE = "in_article", "داخل المقال"
        SIDEBAR = "sidebar", "العمود الجانبي"

    name = CleanCharField("الاسم", max_length=100)
    position = models.CharField(
        "الموضع", max_length=16, choices=Position.choices, unique=True, default=Position.TOP
    )
    after_paragraph = models.PositiveSmallIntegerField(
        "بعد الفقرة", default=3, help_text="للموضع «داخل المقال» وحده: رقم الفقرة التي يليها."
    )

    class Meta:
        verbose_name = "موضع إعلاني"
        verbose_name_plural = "المواضع الإعلانية"

    def __str__(self):
        return self.name


class Campaign(models.Model):
    name = CleanCharField("اسم الحملة", max_length=200)
    advertiser = CleanCharField("المعلن", max_length=200)
    starts_at = models.DateTimeField("تبدأ في")
    ends_at = models.DateTimeField("تنتهي في")
    sections = models.ManyToManyField(
        Section,
        verbose_name="الأقسام",
        blank=True,
        help_text="تظهر في صفحات هذه الأقسام ومقالاتها وحدها. فارغ: في كل الصفحات.",
    )
    weight = models.PositiveSmallIntegerField(
        "الوزن", default=1, help_text="حملة وزنها 2 تظهر ضعف حملة وزنها 1 في الموضع نفسه."
    )
    active = models.BooleanField("مفعّلة", default=True)

    class Meta:
        verbose_name = "حملة ممولة"
        verbose_name_plural = "الحملات الممولة"
        ordering = ["-starts_at"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "تنتهي الحملة بعد بدايتها."})

    def is_running(self, at=None) -> bool:
        at = at or timezone.now()
        return self.active and self.starts_at <= at < self.ends_at


class Creative(models.Model):
    """Shown in one placement for one campaign: an image with its link and alt text, or a
    sponsored article (a story the advertiser paid for). A story named by any creative is
    paid content: `Article.sponsored` follows (services.sync_sponsored, the one writer)
    and its cards and page carry the label, during the campaign and after it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="الحملة", on_delete=models.CASCADE, related_name="creatives"
    )
    placement = models.ForeignKey(
        Placement, verbose_name="الموضع", on_delete=models.PROTECT, related_name="creatives"
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name="مقال ممول",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="مقال دفع المعلن ثمنه: يُعرض في الموضع بعنوانه وصورته، ويحمل «اعلان ممول» "
        "في كل مكان يظهر فيه. اتركه فارغًا لإعلان بصورة ورابط.",
    )
    image = models.ForeignKey(
        "media.Image",
        verbose_name="الصورة",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    alt_text = CleanCharField(
        "النص البديل", max_length=250, blank=True, help_text="ما تقوله الصورة لمن لا يراها."
    )
    link_url = models.URLField("الرابط", max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField("الوزن داخل الحملة", default=1)

    class Meta:
        verbose_name = "مادة إعلانية"
        verbose_name_plural = "المواد الإعلانية"
        constraints = [
            # Either a story, or an image with its link and alt text: never both, never none.
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, image__isnull=True, link_url="")
                    | (
                        models.Q(article__isnull=True, image__isnull=False)
                        & ~models.Q(link_url="")
                        & ~models.Q(alt_text="")
                    )
                ),
                name="sponsor_creative_kind",
                violation_error_message="المادة الإعلانية إما مقال ممول، وإما صورة مع رابطها "
                "ونصها البديل.",
            )
        ]

    def __str__(self):
        if self.article_id:
            return f"{self.campaign}: {self.article}"
        return f"{self.campaign}: {self.alt_text}"

    @property
    def is_article(self) -> bool:
        return self.article_id is not None


class DailyStats(models.Model):
    """Impressions and clicks per creative and day, added by the flush (never per view)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    creative = models.ForeignKey(Creative, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("اليوم")
    impressions = models.PositiveIntegerField("مرات الظهور", default=0)
    clicks = models.PositiveIntegerField("النقرات", default=0)

    class Meta:
        verbose_name = "إحصاء يومي"
        verbose_name_plural = "تقرير الحملات اليومي"
        ordering = ["-day", "campaign"]
        constraints = [
            models.UniqueConstraint(fields=["creative", "day"], name="sponsor_stats_unique")
        ]

    def __str__(self):
        return f"{self.campaign} {self.day}"
