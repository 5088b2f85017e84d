"""Images with the words a newspaper prints under them: caption and credit."""

from django.db import models

from jarida.core.fields import CleanCharField, CleanTextField
from jarida.media.images import validate_image_file


class Image(models.Model):
    """An uploaded picture; renditions for srcset are built from `file`."""

    file = models.ImageField(
        "الملف",
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        validators=[validate_image_file],
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = CleanCharField(
        "النص البديل",
        max_length=250,
        help_text="وصف الصورة لمن لا يراها (قارئات الشاشة). مطلوب.",
    )
    caption = CleanTextField("التعليق", blank=True)
    credit = CleanCharField(
        "الحقوق", max_length=150, blank=True, help_text="مثل: تصوير: علي الخفاجي"
    )
    # [{"width": 480, "height": 270, "name": "renditions/…webp"}, …], made by services.save_image.
    renditions = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "صورة"
        verbose_name_plural = "الصور"
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt_text or self.file.name

    def srcset(self) -> str:
        """`url 480w, url 800w, …` for the WebP renditions."""
        storage = self.file.storage
        return ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in self.renditions)
