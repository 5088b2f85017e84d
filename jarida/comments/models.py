"""Reader comments: one level of replies, a moderation state, and what abuse checks need."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from jarida.comments.text import MAX_LENGTH


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def on(self, article):
        return self.filter(article=article)

    def oldest_first(self):
        return self.order_by("created_at", "pk")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "بانتظار المراجعة"
        PUBLISHED = "published", "منشور"
        REJECTED = "rejected", "مرفوض"
        SPAM = "spam", "مزعج (سبام)"

    article = models.ForeignKey(
        "articles.Article", verbose_name="المقال", on_delete=models.CASCADE, related_name="comments"
    )
    # One level: a reply to a reply is stored against the top-level comment (services).
    parent = models.ForeignKey(
        "self",
        verbose_name="رد على",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    # Cleaned by jarida.comments.text before it gets here; the limit counts code points.
    text = models.CharField("التعليق", max_length=MAX_LENGTH)
    name = models.CharField("الاسم", max_length=60, blank=True)
    email = models.EmailField("البريد الإلكتروني", blank=True, help_text="لا يظهر للقراء أبدًا.")
    status = models.CharField(
        "الحالة", max_length=16, choices=Status.choices, default=Status.PENDING
    )
    held_reason = models.CharField("سبب الانتظار", max_length=100, blank=True)
    # sha256 of the normalised text: duplicate detection without comparing long strings.
    text_key = models.CharField(max_length=64, editable=False)
    ip_address = models.GenericIPAddressField("عنوان IP", null=True, blank=True)
    user_agent = models.CharField("المتصفح", max_length=300, blank=True)
    created_at = models.DateTimeField("أرسل في", auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField("روجع في", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="المشرف",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "تعليق"
        verbose_name_plural = "التعليقات"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            models.Index(fields=["article", "text_key"], name="comment_duplicate_idx"),
            models.Index(fields=["email", "status"], name="comment_email_idx"),
        ]
        constraints = [
            # The database holds the limit too (SQLite does not enforce varchar lengths).
            models.CheckConstraint(
                condition=models.Q(
                    GreaterThanOrEqual(Length("text"), 1),
                    LessThanOrEqual(Length("text"), MAX_LENGTH),
                ),
                name="comment_text_length",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
