"""Related articles: what the selection stored for each story, and the editors' choices."""

from django.db import models

from jarida.articles.models import Article, is_public


class RelatedChoice(models.Model):
    """An editor's decision on one related item: always show it (pin) or never (exclude)."""

    class Kind(models.TextChoices):
        PIN = "pin", "تثبيت"
        EXCLUDE = "exclude", "استبعاد"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_choices")
    other = models.ForeignKey(
        Article,
        verbose_name="المقال",
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField("القرار", max_length=8, choices=Kind.choices, default=Kind.PIN)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "اختيار المحرر لمقال ذي صلة"
        verbose_name_plural = "مقالات ذات صلة (تثبيت واستبعاد)"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "other"], name="related_choice_unique"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("other")), name="related_choice_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.other}"


class RelatedArticleQuerySet(models.QuerySet):
    def for_page(self, article, at=None):
        """The stored cards of an article still published: one query, no more. With
        `at=False` the clock is left to the caller (a cached list is checked when shown)."""
        rows = self.filter(article=article)
        if at is False:
            rows = rows.filter(related__status=Article.Status.PUBLISHED)
        else:
            rows = rows.filter(is_public(prefix="related__", at=at))
        return rows.select_related("related__section").order_by("position")


class RelatedArticle(models.Model):
    """One stored related card, computed when the article was saved (never per request).

    The card's dateline/author line and excerpt are kept here too, so the article page
    reads the whole block in one query (they need the related story's bylines and body);
    they are refreshed whenever the related story is saved.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_cards")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0)
    pinned = models.BooleanField(default=False)
    credit = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    objects = RelatedArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "مقال ذو صلة محسوب"
        verbose_name_plural = "مقالات ذات صلة محسوبة"
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_unique")
        ]

    def __str__(self):
        return f"{self.position + 1}. {self.related_id}"
