"""The paper's supplements (ملاحق): series, and their issues as PDF files."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from jarida.core.fields import CleanCharField, CleanTextField


def validate_pdf(file) -> None:
    """A real PDF within the size limit: checked by its bytes, not by its name."""
    limit = settings.JARIDA_SUPPLEMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"حجم الملف {file.size // (1024 * 1024)} م.ب، والحد {limit // (1024 * 1024)} م.ب.",
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(1024)
        file.seek(max(file.size - 1024, 0))
        tail = file.read()
    finally:
        file.seek(position)
    if b"%PDF-" not in head[:1024] or b"%%EOF" not in tail:
        raise ValidationError(
            "الملف ليس PDF سليمًا (لا يبدأ بـ ‎%PDF- أو لا ينتهي بـ ‎%%EOF).", code="not_pdf"
        )


class Series(models.Model):
    name = CleanCharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)
    description = CleanTextField("الوصف", blank=True)
    cover = models.ForeignKey(
        "media.Image", verbose_name="الغلاف", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "سلسلة ملاحق"
        verbose_name_plural = "سلاسل الملاحق"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supplements:series", args=[self.slug])


class Issue(models.Model):
    series = models.ForeignKey(
        Series, verbose_name="السلسلة", on_delete=models.PROTECT, related_name="issues"
    )
    number = models.PositiveIntegerField("العدد")
    date = models.DateField("التاريخ")
    cover = models.ForeignKey(
        "media.Image", verbose_name="الغلاف", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    pdf = models.FileField(
        "ملف PDF", upload_to="supplements/%Y/%m/", validators=[validate_pdf],
        help_text="ملف PDF حتى الحد المضبوط في JARIDA_SUPPLEMENT_MAX_BYTES.",
    )  # fmt: skip
    articles = models.ManyToManyField(
        "articles.Article", verbose_name="مقالات العدد", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "عدد ملحق"
        verbose_name_plural = "أعداد الملاحق"
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="supplement_issue_unique")
        ]

    def __str__(self):
        return f"{self.series} — العدد {self.number}"

    def get_absolute_url(self):
        return reverse("supplements:issue", args=[self.series.slug, self.number])

    def get_pdf_url(self):
        return reverse("supplements:pdf", args=[self.series.slug, self.number])
