"""robots.txt and the Google News sitemap (the other sitemaps are Django's own views)."""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jarida.feeds.sitemaps import NewsSitemap

#: Pages with nothing for a search engine: the back office, search results, comment forms.
DISALLOWED = ("/admin/", "/search/", "/comments/")


@require_GET
@cache_control(public=True, max_age=3600)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    for name in ("feeds:sitemap-index", "feeds:sitemap-news"):
        lines.append(f"Sitemap: {request.build_absolute_uri(reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def news_sitemap(request):
    return sitemap_views.sitemap(
        request, {"news": NewsSitemap}, template_name="feeds/sitemap_news.xml"
    )
