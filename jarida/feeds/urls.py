"""Feeds, sitemaps and robots.txt, included before the reader's catch-all section patterns."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from jarida.feeds import views
from jarida.feeds.feeds import ContributorFeed, SectionFeed, SiteFeed, TagFeed
from jarida.feeds.sitemaps import SITEMAPS
from jarida.reader import page_cache as pc
from jarida.reader.page_cache import reader_page

app_name = "feeds"


def feed_patterns(prefix: str, feed, name: str) -> list:
    """RSS at `<prefix>feed/`, Atom at `…feed/atom/`, JSON Feed at `…feed/json/`."""
    return [
        path(f"{prefix}feed/", feed.as_view("rss"), name=name),
        path(f"{prefix}feed/atom/", feed.as_view("atom"), name=f"{name}-atom"),
        path(f"{prefix}feed/json/", feed.as_view("json"), name=f"{name}-json"),
    ]


def cached_sitemap(view):
    """A sitemap view in the page cache (`?p=` chooses the page), keyed `sitemaps`."""

    def keyed(request, *args, **kwargs):
        pc.add_keys(request, pc.SITEMAPS)
        return view(request, *args, **kwargs)

    return reader_page(keyed, paged="p")


urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        cached_sitemap(sitemap_views.index),
        {
            "sitemaps": SITEMAPS,
            "sitemap_url_name": "feeds:sitemap",
            "template_name": "feeds/sitemap_index.xml",
        },
        name="sitemap-index",
    ),
    path(
        "sitemaps/<str:section>.xml",
        cached_sitemap(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "feeds/sitemap.xml"},
        name="sitemap",
    ),
    path("sitemap-news.xml", cached_sitemap(views.news_sitemap), name="sitemap-news"),
    *feed_patterns("", SiteFeed, "site"),
    *feed_patterns("writers/<str:slug>/", ContributorFeed, "contributor"),
    *feed_patterns("tags/<str:slug>/", TagFeed, "tag"),
    *feed_patterns("<str:section_slug>/", SectionFeed, "section"),
]
