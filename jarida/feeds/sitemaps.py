"""Sitemaps for search engines: articles, sections and writers, and a Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles.models import Article, Section, is_public
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
        # One aggregate instead of Django's default walk over every article.
        latest = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return max(filter(None, latest.values()), default=None)


def _published_articles(prefix: str) -> Q:
    return is_public(prefix)


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.annotate(
            latest=Max("articles__published_at", filter=_published_articles("articles__"))
        ).order_by("position", "name")

    def lastmod(self, item):
        return item.latest


class ContributorSitemap(Sitemap):
    """Writers with at least one published article (a scheduled debut stays unseen)."""

    def items(self):
        return (
            Contributor.objects.annotate(
                latest=Max(
                    "bylines__article__published_at",
                    filter=_published_articles("bylines__article__"),
                )
            )
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
