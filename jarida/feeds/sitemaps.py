"""Sitemaps for search engines: articles, sections and writers, and a Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles.models import LAST_MODIFIED, Article, Section, WriterEntry
from jarida.articles.paging import ArchivePaginator

#: Google News reads articles of the last two days, at most 1,000 a sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    limit = 5000

    @property
    def paginator(self):
        # Page 60 of a 300,000-story sitemap must not read 295,000 rows to drop them.
        return ArchivePaginator(self._items(), self.limit, seek_after=1)

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("pk", "slug", "published_at", "updated_at", "section__slug")
            .newest_first()
        )

    def lastmod(self, item):
        return item.last_modified

    def get_latest_lastmod(self):
        # The top of the `article_lastmod_idx` index (an aggregate over the published
        # stories read all of them: 0.3 s at 300,000), instead of Django's walk over every
        # article.
        latest = Article.objects.published().annotate(lastmod=LAST_MODIFIED)
        return latest.order_by("-lastmod").values_list("lastmod", flat=True).first()


class SectionSitemap(Sitemap):
    def items(self):
        # Each section's newest story off its index, not a maximum over all its stories.
        newest = Article.objects.published().filter(section=OuterRef("pk")).newest_first()
        return Section.objects.annotate(
            latest=Subquery(newest.values("published_at")[:1])
        ).order_by("position", "name")

    def lastmod(self, item):
        return item.latest


class ContributorSitemap(Sitemap):
    """Writers with at least one published article (a scheduled debut stays unseen)."""

    def items(self):
        # Each writer's newest entry off the writers' archive index (a maximum over every
        # byline's story read the whole archive: 0.5 s at 300,000).
        newest = (
            WriterEntry.objects.public()
            .filter(contributor=OuterRef("pk"))
            .order_by("-published_at")
        )
        return (
            Contributor.objects.annotate(latest=Subquery(newest.values("published_at")[:1]))
            .filter(latest__isnull=False)
            .order_by("name", "pk")
        )

    def lastmod(self, item):
        return item.latest


class NewsSitemap(ArticleSitemap):
    """Google News: the last 48 hours of published articles, with title and date."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            super()
            .items()
            .filter(published_at__gte=since)
            .only("pk", "slug", "title", "published_at", "updated_at", "section__slug")[:NEWS_LIMIT]
        )


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "writers": ContributorSitemap}
