"""Reader pages: thin views over the article querysets."""

from functools import cache, wraps
from pathlib import Path

from django.core.paginator import EmptyPage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import escape_uri_path

from jarida.accounts.models import Contributor
from jarida.articles.models import Article, Tag, TagEntry, WriterEntry
from jarida.articles.navigation import menu_sections
from jarida.articles.paging import ArchivePaginator
from jarida.reader import page_cache as pc
from jarida.reader import seo
from jarida.reader.page_cache import reader_page, requested_page

ICONS_DIR = Path(__file__).resolve().parent / "static" / "reader" / "icons"
ICON_TYPES = {"favicon.ico": "image/x-icon", "apple-touch-icon.png": "image/png"}
ARCHIVE_PAGE_SIZE = 20
HOME_LATEST = 7
HOME_PER_SECTION = 4


@reader_page
def home(request):
    """The front page: the latest stories, then a block per section."""
    published = Article.objects.published().for_cards()
    latest = list(published.newest_first()[:HOME_LATEST])
    sections = menu_sections()
    by_section = {}
    # The section blocks' cards print no byline (only the lead card, in `latest`, does):
    # no byline and contributor objects built for them.
    blocks_cards = published.prefetch_related(None)
    for article in blocks_cards.newest_per_section(sections, HOME_PER_SECTION):
        by_section.setdefault(article.section_id, []).append(article)
    blocks = [(s, by_section[s.pk]) for s in sections if s.pk in by_section]
    pc.add_keys(request, pc.HOME)
    pc.add_article_keys(request, latest)
    for _, shown in blocks:
        pc.add_article_keys(request, shown)
    context = {"latest": latest, "blocks": blocks, "page_meta": seo.home_meta(request)}
    return render(request, "reader/home.html", context)


@cache
def _icon_bytes(name: str) -> bytes:
    return (ICONS_DIR / name).read_bytes()


def icon(request, name: str):
    """The icons browsers ask for at the site's root, whatever the page links, kept a year."""
    response = HttpResponse(_icon_bytes(name), content_type=ICON_TYPES[name])
    response["Cache-Control"] = "public, max-age=31536000"
    return response


class _NotCanonical(Exception):
    def __init__(self, number: int):
        self.number = number


def _page(request, queryset, counted=None):
    """The archive page asked for; page 1 has no `?page=`, other forms redirect, too far 404s."""
    number, canonical = requested_page(request)
    if not canonical:
        raise _NotCanonical(number)
    paginator = ArchivePaginator(queryset.newest_first(), ARCHIVE_PAGE_SIZE, counted=counted)
    try:
        return paginator.page(number)
    except EmptyPage:
        raise Http404("لا توجد صفحة بهذا الرقم.") from None


def archive(view):
    """An archive view: one canonical address per page (`?page=N`, none for page 1)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _NotCanonical as wrong:
            query = f"?page={wrong.number}" if wrong.number > 1 else ""
            return redirect(escape_uri_path(request.path) + query, permanent=True)

    return reader_page(wrapped, paged=True)


@archive
def section(request, section_slug):
    section = next((s for s in menu_sections() if s.slug == section_slug), None)
    if section is None:
        raise Http404("لا يوجد قسم بهذا الاسم.")
    page = _page(request, Article.objects.published().in_section(section).for_cards())
    pc.add_keys(request, pc.section_key(section.pk))
    pc.add_article_keys(request, page)
    context = {
        "section": section,
        "page": page,
        "page_meta": seo.section_meta(request, section, page),
    }
    return render(request, "reader/section.html", context)


@reader_page
def article(request, section_slug, pk, slug=None):
    """The article page; any other form of its URL answers 301 to the canonical one."""
    article = get_object_or_404(Article.objects.published().for_page(), pk=pk)
    canonical = article.get_absolute_url()
    pc.add_keys(
        request,
        pc.article_key(article.pk),
        pc.comments_key(article.pk),
        pc.related_key(article.pk),
    )
    if escape_uri_path(request.path) != canonical:
        return redirect(canonical, permanent=True)
    context = {
        "article": article,
        "section": article.section,
        "page_meta": seo.article_meta(request, article),
    }
    return render(request, "reader/article.html", context)


@archive
def contributor(request, slug):
    person = get_object_or_404(Contributor, slug=slug)
    page = _page(
        request,
        Article.objects.published().by_contributor(person).for_cards(),
        counted=WriterEntry.objects.public().filter(contributor=person),
    )
    pc.add_keys(request, pc.writer_key(person.pk))
    pc.add_article_keys(request, page)
    context = {
        "contributor": person,
        "page": page,
        "page_meta": seo.contributor_meta(request, person, page),
    }
    return render(request, "reader/contributor.html", context)


@archive
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(
        request,
        Article.objects.published().tagged(tag).for_cards(),
        counted=TagEntry.objects.public().filter(tag=tag),
    )
    pc.add_keys(request, pc.tag_key(tag.pk))
    pc.add_article_keys(request, page)
    context = {"tag": tag, "page": page, "page_meta": seo.tag_meta(request, tag, page)}
    return render(request, "reader/tag.html", context)
