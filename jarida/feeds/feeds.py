"""RSS, Atom and JSON feeds of published articles: the site, a section, a writer, a tag.

One Feed class per kind of list; `as_view(format)` builds a fresh instance per request,
so item methods can use the request for absolute URLs without sharing it across threads.
"""

import io
import mimetypes
import re

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from django.utils.http import http_date

from jarida.accounts.models import Contributor
from jarida.articles.models import SPONSORED_LABEL, Article, Tag
from jarida.articles.navigation import menu_sections
from jarida.core.models import SiteSettings
from jarida.feeds.generators import AtomFeed, JsonFeed, RssFeed
from jarida.reader import page_cache as pc
from jarida.reader.page_cache import reader_page

FEED_ITEMS = 30
FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
# Site-relative links and images in a body, which a feed reader cannot resolve.
_RELATIVE_URL = re.compile(r'\b(href|src)="/(?!/)')


class ArticleFeed(Feed):
    """The newest published articles of a list, in one of FORMATS."""

    language = "ar"

    def __init__(self, request, feed_type):
        self.request = request
        self.feed_type = feed_type
        self.site = SiteSettings.load()

    @classmethod
    def as_view(cls, format_name: str):
        def view(request, **kwargs):
            return cls(request, FORMATS[format_name])(request, **kwargs)

        view.__name__ = f"{cls.__name__}_{format_name}"
        # Cached like the reader's pages, with their keys, ETag and 304s.
        return reader_page(view)

    def __call__(self, request, *args, **kwargs):
        """Django's, writing the feed into a buffer first: written straight into the
        response, each of its thousands of small strings costs a response.write()."""
        try:
            obj = self.get_object(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("Feed object does not exist.") from None
        feedgen = self.get_feed(obj, request)
        buffer = io.BytesIO()
        feedgen.write(buffer, "utf-8")
        response = HttpResponse(buffer.getvalue(), content_type=feedgen.content_type)
        # As Django's: lets conditional GETs answer 304 Not Modified.
        response.headers["Last-Modified"] = http_date(feedgen.latest_post_date().timestamp())
        return response

    # The list: subclasses narrow `articles()` and name it.

    def articles(self, obj):
        return Article.objects.published()

    #: The surrogate key of the list (page_cache): what joining or leaving it bumps.
    def list_key(self, obj) -> str:
        return pc.FEEDS

    def items(self, obj):
        queryset = self.articles(obj).for_page()
        items = list(queryset.newest_first()[:FEED_ITEMS])
        pc.add_keys(self.request, self.list_key(obj))
        pc.add_article_keys(self.request, items)
        return items

    def title(self, obj):
        return self.site.site_name

    def link(self, obj):
        return "/"

    def description(self, obj):
        return self.site.tagline or f"آخر الأخبار من {self.site.site_name}"

    def author_name(self, obj):
        return self.site.site_name

    # Items.

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt()

    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.last_modified)

    def item_categories(self, item):
        # Paid content says so in feeds too: readers' apps show categories as labels.
        paid = [SPONSORED_LABEL] if item.sponsored else []
        return [*paid, item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item):
        image = item.featured_image
        if image is None or not image.file:
            return []
        try:
            length = image.file.size
        except OSError:
            length = 0  # RSS asks for the size; a missing file must not break the feed
        mime_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
        return [Enclosure(self._absolute(image.file.url), str(length), mime_type)]

    def item_extra_kwargs(self, item):
        extra = {"credits": self._credits(item)}
        if self.site.feed_full_content:  # loaded once per feed, not once per item
            extra["content_html"] = self._content(item, extra["credits"])
        return extra

    def _credits(self, item) -> list[dict]:
        return [
            {
                "name": byline.contributor.name,
                "role": byline.role,
                "label": byline.label,
                "link": self._absolute(byline.contributor.get_absolute_url()),
            }
            for byline in item.bylines.all()
        ]

    def _content(self, item, credits) -> str:
        """The article as its page prints it: credits, dateline, body, source."""
        parts = []
        if credits:
            line = " · ".join(f"{escape(c['label'])}: {escape(c['name'])}" for c in credits)
            parts.append(f"<p>{line}</p>")
        if item.dateline:
            parts.append(f"<p>{escape(item.dateline_credit)}</p>")
        parts.append(_RELATIVE_URL.sub(rf'\1="{self._absolute("/")}', item.body))
        if item.source_agency_id:
            parts.append(f"<p>عن: {escape(item.source_agency.name)}</p>")
        return "\n".join(parts)

    def _absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)


class SiteFeed(ArticleFeed):
    pass


class SectionFeed(ArticleFeed):
    def get_object(self, request, section_slug):
        section = next((s for s in menu_sections() if s.slug == section_slug), None)
        if section is None:
            raise Http404("لا يوجد قسم بهذا الاسم.")
        return section

    def articles(self, obj):
        return Article.objects.published().in_section(obj)

    def list_key(self, obj):
        return pc.section_key(obj.pk)

    def title(self, obj):
        return f"{obj.name} | {self.site.site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.description or f"آخر أخبار {obj.name} من {self.site.site_name}"


class ContributorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Contributor, slug=slug)

    def articles(self, obj):
        return Article.objects.published().by_contributor(obj)

    def list_key(self, obj):
        return pc.writer_key(obj.pk)

    def title(self, obj):
        return f"{obj.name} | {self.site.site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return obj.bio or f"مقالات {obj.name} في {self.site.site_name}"


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def articles(self, obj):
        return Article.objects.published().tagged(obj)

    def list_key(self, obj):
        return pc.tag_key(obj.pk)

    def title(self, obj):
        return f"{obj.name} | {self.site.site_name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"مقالات موسومة «{obj.name}» في {self.site.site_name}"
