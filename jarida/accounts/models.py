"""Contributors: the people named in bylines, each with a public page."""

from django.conf import settings
from django.db import models

from jarida.core.fields import CleanCharField, CleanTextField
from jarida.core.urls import cached_reverse


class Contributor(models.Model):
    """A reporter, translator, photographer or editor; may or may not have a staff login."""

    name = CleanCharField("الاسم", max_length=150)
    slug = models.SlugField("المعرّف في الرابط", max_length=150, unique=True, allow_unicode=True)
    bio = CleanTextField("نبذة", blank=True)
    # Staff-only identity from an import (WordPress's author_login and author_email): a
    # later import or a merge finds the same person by them. Never shown to readers.
    login = models.CharField(
        "اسم الدخول في الموقع القديم",
        max_length=150,
        blank=True,
        db_index=True,
        help_text="اسم المستخدم في ووردبريس أو نظام سابق؛ لا يظهر للقراء.",
    )
    email = models.EmailField("البريد الإلكتروني", blank=True, help_text="لا يظهر للقراء.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="حساب الدخول",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "كاتب"
        verbose_name_plural = "الكتّاب"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("reader:contributor", self.slug)
