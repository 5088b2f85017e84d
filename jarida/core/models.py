"""Site-wide editorial settings, edited by staff in the back office."""

from django.core.cache import cache
from django.db import models

from jarida.core import dates
from jarida.core.fields import CleanCharField

SITE_SETTINGS_CACHE_KEY = "core:site-settings:v1"


class SiteSettings(models.Model):
    """The one row of editorial settings (month names, digits, Hijri line, site name)."""

    MONTH_NAME_CHOICES = [
        (dates.MONTHS_EGYPTIAN, "يناير، فبراير، مارس… (مصر والخليج)"),
        (dates.MONTHS_SYRIAC, "كانون الثاني، شباط، آذار… (العراق والشام)"),
        (dates.MONTHS_BOTH, "شباط/فبراير (كلاهما)"),
    ]
    DIGIT_CHOICES = [
        (dates.DIGITS_LATIN, "أرقام غربية 0123456789"),
        (dates.DIGITS_ARABIC_INDIC, "أرقام هندية ٠١٢٣٤٥٦٧٨٩"),
    ]

    site_name = CleanCharField("اسم الموقع", max_length=100, default="جريدة")
    tagline = CleanCharField("الشعار", max_length=200, blank=True)
    month_names = models.CharField(
        "أسماء الأشهر", max_length=16, choices=MONTH_NAME_CHOICES, default=dates.MONTHS_EGYPTIAN
    )
    digits = models.CharField(
        "الأرقام", max_length=16, choices=DIGIT_CHOICES, default=dates.DIGITS_LATIN
    )
    show_hijri = models.BooleanField("إظهار التاريخ الهجري", default=False)
    CARD_DATE_CHOICES = [
        (dates.CARD_DATE_NUMERIC, "16-04-2024"),
        (dates.CARD_DATE_NUMERIC_SLASH, "16/04/2024"),
        (dates.CARD_DATE_LONG, "16 أبريل, 2024 (بأسماء الأشهر المختارة)"),
    ]
    card_date_format = models.CharField(
        "تاريخ البطاقات",
        max_length=16,
        choices=CARD_DATE_CHOICES,
        default=dates.CARD_DATE_NUMERIC,
        help_text="كيف يُكتب التاريخ في بطاقات «مقالات ذات صلة» و«الأكثر قراءة».",
    )
    feed_full_content = models.BooleanField(
        "النص الكامل في الخلاصات",
        default=True,
        help_text="عند إلغائه تحمل خلاصات RSS وAtom وJSON الموجز وحده.",
    )

    # The paper's profiles elsewhere, printed with their icons in the footer (empty: hidden).
    linkedin_url = models.URLField("لينكدإن", blank=True)
    facebook_url = models.URLField("فيسبوك", blank=True)
    pinterest_url = models.URLField("بنترست", blank=True)
    youtube_url = models.URLField("يوتيوب", blank=True)
    twitter_url = models.URLField("تويتر (إكس)", blank=True)
    instagram_url = models.URLField("إنستغرام", blank=True)
    show_rss_link = models.BooleanField(
        "إظهار رابط RSS", default=True, help_text="رابط خلاصة الموقع بين روابط التواصل."
    )

    # Reader comments (the comments app reads these; core knows nothing of comments).
    MODERATION_PRE = "pre"
    MODERATION_POST = "post"
    MODERATION_CHOICES = [
        (MODERATION_PRE, "مراجعة قبل النشر: لا يظهر تعليق قبل موافقة المشرف"),
        (MODERATION_POST, "مراجعة بعد النشر: يظهر التعليق فورًا ويمكن حذفه لاحقًا"),
    ]
    comment_default_name = CleanCharField(
        "اسم المعلّق الافتراضي",
        max_length=60,
        default="Anonymous",
        help_text="يظهر بدل الاسم حين يترك المعلّق حقل الاسم فارغًا.",
    )
    comment_moderation = models.CharField(
        "مراجعة التعليقات", max_length=8, choices=MODERATION_CHOICES, default=MODERATION_PRE
    )
    comment_trusted_after = models.PositiveSmallIntegerField(
        "تجاوز المراجعة بعد",
        default=3,
        help_text="عدد التعليقات المقبولة (بالاسم والبريد نفسيهما) التي تنشر بعدها تعليقات "
        "صاحبها مباشرة. 0: لا يتجاوز أحد المراجعة.",
    )
    comment_close_after_days = models.PositiveSmallIntegerField(
        "إغلاق التعليقات بعد (أيام)",
        default=0,
        help_text="تغلق التعليقات على المقال بعد هذا العدد من الأيام من نشره. 0: لا تغلق.",
    )
    comment_max_links = models.PositiveSmallIntegerField(
        "أقصى عدد للروابط",
        default=2,
        help_text="التعليق الذي فيه روابط أكثر من هذا العدد ينتظر المراجعة دائمًا.",
    )
    comment_banned_words = models.TextField(
        "كلمات ممنوعة",
        blank=True,
        help_text="كلمة أو عبارة في كل سطر. تطابق بعد توحيد الكتابة (التشكيل والتطويل "
        "والهمزات والتاء المربوطة) وبعد حروف السوابق مثل و، ب، ال.",
    )

    class Meta:
        verbose_name = "إعدادات الموقع"
        verbose_name_plural = "إعدادات الموقع"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_singleton")
        ]

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(SITE_SETTINGS_CACHE_KEY)

    @classmethod
    def load(cls) -> "SiteSettings":
        """The settings row, from the shared cache when possible (no query per page)."""
        settings = cache.get(SITE_SETTINGS_CACHE_KEY)
        if settings is None:
            settings, _ = cls.objects.get_or_create(pk=1)
            cache.set(SITE_SETTINGS_CACHE_KEY, settings, timeout=600)
        return settings

    #: (network, setting field, Arabic name) in the order the seed page prints them.
    SOCIAL_NETWORKS = [
        ("linkedin", "linkedin_url", "لينكدإن"),
        ("facebook", "facebook_url", "فيسبوك"),
        ("pinterest", "pinterest_url", "بنترست"),
        ("youtube", "youtube_url", "يوتيوب"),
        ("twitter", "twitter_url", "تويتر"),
        ("instagram", "instagram_url", "إنستغرام"),
    ]

    def social_links(self) -> list[tuple[str, str, str]]:
        """(network, url, Arabic name) of every profile the paper has filled in."""
        return [
            (network, getattr(self, field), name)
            for network, field, name in self.SOCIAL_NETWORKS
            if getattr(self, field)
        ]

    @property
    def date_style(self) -> dates.DateStyle:
        return dates.DateStyle(
            month_names=self.month_names, digits=self.digits, show_hijri=self.show_hijri
        )
