"""What each reader page tells search engines and link previews: canonical URL, Open Graph
and Twitter cards, schema.org JSON-LD, pagination and feed links.

Views call one function per kind of page; `reader/includes/meta.html` prints the result.
Every URL is absolute, built from the request (the host the reader used).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from jarida.articles.models import Article, Byline
from jarida.core.models import SiteSettings

OG_LOCALE = "ar_AR"
LANGUAGE = "ar"


@dataclass
class PageImage:
    url: str
    width: int | None
    height: int | None
    alt: str


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: PageImage | None = None
    json_ld: list[dict] = field(default_factory=list)
    prev_url: str = ""
    next_url: str = ""
    #: (title, site-relative URL) of the RSS feeds that follow this page's list.
    feeds: list[tuple[str, str]] = field(default_factory=list)
    #: Open Graph `article:*` properties, in order, for article pages.
    article_properties: list[tuple[str, str]] = field(default_factory=list)


def _iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _publisher(request, site: SiteSettings) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": site.site_name,
        "url": request.build_absolute_uri(reverse("reader:home")),
    }


def breadcrumbs(request, trail: list[tuple[str, str]]) -> dict:
    """schema.org BreadcrumbList from (name, site-relative URL) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(url),
            }
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def _site_feed(site: SiteSettings) -> tuple[str, str]:
    return (site.site_name, reverse("feeds:site"))


def home_meta(request) -> PageMeta:
    site = SiteSettings.load()
    home = request.build_absolute_uri(reverse("reader:home"))
    search = request.build_absolute_uri(reverse("search:search"))
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.site_name,
        "url": home,
        "inLanguage": LANGUAGE,
        "publisher": _publisher(request, site),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term}}"},
            "query-input": "required name=search_term",
        },
    }
    return PageMeta(
        title=site.site_name,
        description=site.tagline or f"آخر الأخبار من {site.site_name}",
        canonical=home,
        json_ld=[website],
        feeds=[_site_feed(site)],
    )


def _paged(request, page, meta: PageMeta) -> PageMeta:
    """Canonical, prev and next URLs of one page of an archive (page 1 has no `?page=`)."""

    def url(number: int) -> str:
        query = f"?page={number}" if number > 1 else ""
        return request.build_absolute_uri(request.path + query)

    meta.canonical = url(page.number)
    if page.has_previous():
        meta.prev_url = url(page.previous_page_number())
    if page.has_next():
        meta.next_url = url(page.next_page_number())
    return meta


def section_meta(request, section, page) -> PageMeta:
    site = SiteSettings.load()
    trail = [(site.site_name, reverse("reader:home")), (section.name, section.get_absolute_url())]
    meta = PageMeta(
        title=section.name,
        description=section.description or f"آخر أخبار {section.name} في {site.site_name}",
        canonical="",
        json_ld=[breadcrumbs(request, trail)],
        feeds=[
            (f"{section.name} | {site.site_name}", reverse("feeds:section", args=[section.slug])),
            _site_feed(site),
        ],
    )
    return _paged(request, page, meta)


def contributor_meta(request, person, page) -> PageMeta:
    site = SiteSettings.load()
    url = request.build_absolute_uri(person.get_absolute_url())
    profile = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "mainEntity": {"@type": "Person", "name": person.name, "url": url},
    }
    if person.bio:
        profile["mainEntity"]["description"] = person.bio
    meta = PageMeta(
        title=person.name,
        description=person.bio or f"مقالات {person.name} في {site.site_name}",
        canonical="",
        og_type="profile",
        json_ld=[profile],
        feeds=[
            (f"{person.name} | {site.site_name}", reverse("feeds:contributor", args=[person.slug]))
        ],
    )
    return _paged(request, page, meta)


def tag_meta(request, tag, page) -> PageMeta:
    site = SiteSettings.load()
    trail = [(site.site_name, reverse("reader:home")), (tag.name, tag.get_absolute_url())]
    meta = PageMeta(
        title=tag.name,
        description=f"مقالات موسومة «{tag.name}» في {site.site_name}",
        canonical="",
        json_ld=[breadcrumbs(request, trail)],
        feeds=[(f"{tag.name} | {site.site_name}", reverse("feeds:tag", args=[tag.slug]))],
    )
    return _paged(request, page, meta)


def _person(request, byline: Byline) -> dict:
    person = byline.contributor
    return {
        "@type": "Person",
        "name": person.name,
        "url": request.build_absolute_uri(person.get_absolute_url()),
    }


def article_meta(request, article: Article) -> PageMeta:
    """NewsArticle and BreadcrumbList JSON-LD, Open Graph `article`, from the loaded page."""
    site = SiteSettings.load()
    canonical = request.build_absolute_uri(article.get_absolute_url())
    bylines = list(article.bylines.all())
    tags = [tag.name for tag in article.tags.all()]
    modified = article.last_modified
    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "headline": article.title,
        "description": article.excerpt(),
        "inLanguage": LANGUAGE,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(modified),
        "articleSection": article.section.name,
        "isAccessibleForFree": True,
        "publisher": _publisher(request, site),
    }
    authors = [_person(request, b) for b in bylines if b.role == Byline.Role.AUTHOR]
    # Without a named writer the paper itself is the author (Google asks for one).
    news["author"] = authors or [_publisher(request, site)]
    if others := [_person(request, b) for b in bylines if b.role != Byline.Role.AUTHOR]:
        news["contributor"] = others
    if translators := [_person(request, b) for b in bylines if b.role == Byline.Role.TRANSLATOR]:
        news["translator"] = translators
    if tags:
        news["keywords"] = tags
    if article.dateline:
        news["dateline"] = article.dateline
    if article.source_agency_id:
        news["sourceOrganization"] = {"@type": "Organization", "name": article.source_agency.name}
        if article.source_url:
            news["isBasedOn"] = article.source_url
    image = None
    if article.featured_image and article.featured_image.file:
        picture = article.featured_image
        image = PageImage(
            url=request.build_absolute_uri(picture.file.url),
            width=picture.width,
            height=picture.height,
            alt=picture.alt_text,
        )
        news["image"] = {
            "@type": "ImageObject",
            "url": image.url,
            "width": picture.width,
            "height": picture.height,
            "caption": picture.caption or picture.alt_text,
        }
        if picture.credit:
            news["image"]["creditText"] = picture.credit
    trail = [
        (site.site_name, reverse("reader:home")),
        (article.section.name, article.section.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    properties = [
        ("article:published_time", news["datePublished"]),
        ("article:modified_time", news["dateModified"]),
        ("article:section", article.section.name),
        *(("article:author", person["url"]) for person in authors),
        *(("article:tag", tag) for tag in tags),
    ]
    return PageMeta(
        title=article.title,
        description=news["description"],
        canonical=canonical,
        og_type="article",
        image=image,
        json_ld=[news, breadcrumbs(request, trail)],
        feeds=[
            (
                f"{article.section.name} | {site.site_name}",
                reverse("feeds:section", args=[article.section.slug]),
            )
        ],
        article_properties=properties,
    )
