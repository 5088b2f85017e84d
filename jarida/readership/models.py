"""Page views per article and hour: written by the flush, never by a reader's request."""

from django.db import models

from jarida.articles.models import Article


class HourlyViews(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField("الساعة", db_index=True)
    views = models.PositiveIntegerField("القراءات", default=0)

    class Meta:
        verbose_name = "قراءات في ساعة"
        verbose_name_plural = "القراءات بالساعة"
        ordering = ["-hour", "-views"]
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="hourly_views_unique")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.views}"
