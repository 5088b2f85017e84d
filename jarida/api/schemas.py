"""What the API answers: ids as in the article URLs, site-relative URLs, dates with offset."""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Schema
from pydantic import BeforeValidator, field_validator

from jarida.articles.models import Article, Byline, Section

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    # pydantic would also take `0` or `1700000000` as a date (seconds since 1970).
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("expected an ISO date, YYYY-MM-DD")
    return value


#: A calendar date written YYYY-MM-DD, and nothing else.
IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]


class Error(Schema):
    message: str
    detail: Any | None = None


class SectionRef(Schema):
    slug: str
    name: str
    url: str


class SectionOut(SectionRef):
    description: str
    feed_url: str


class Credit(Schema):
    name: str
    slug: str
    role: Literal["author", "translator", "photographer", "editor"]
    label: str
    url: str


class ImageOut(Schema):
    url: str
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str


class TagOut(Schema):
    slug: str
    name: str
    url: str


class SourceOut(Schema):
    agency: str
    agency_en: str
    url: str | None


class ArticleSummary(Schema):
    id: int
    title: str
    kicker: str
    url: str
    published_at: datetime
    updated_at: datetime
    section: SectionRef
    excerpt: str
    bylines: list[Credit]
    image: ImageOut | None
    #: Paid content (`اعلان ممول`): a story an advertiser paid for; clients must label it.
    sponsored: bool


class ArticleDetail(ArticleSummary):
    summary: str
    body: str
    dateline: str
    tags: list[TagOut]
    source: SourceOut | None
    comments_open: bool
    comments_url: str
    related: list[ArticleSummary]


class ArticlePage(Schema):
    results: list[ArticleSummary]
    next: str | None


class ContributorOut(Schema):
    slug: str
    name: str
    bio: str
    url: str
    feed_url: str
    articles: int


class ContributorPage(Schema):
    results: list[ContributorOut]
    total: int


class Reply(Schema):
    id: int
    name: str
    text: str
    created_at: datetime


class CommentOut(Reply):
    replies: list[Reply]


class CommentThread(Schema):
    results: list[CommentOut]
    count: int
    open: bool


_SURROGATES = re.compile("[\ud800-\udfff]")


class CommentIn(Schema):
    text: str = Field(
        min_length=1,
        max_length=5000,
        description="at most 255 characters once invisible characters are removed",
    )
    name: str = Field("", max_length=500, description="empty: the site's default name")
    email: str = Field("", max_length=254, description="never shown; empty for none")
    parent: int | None = Field(None, ge=1, le=2**63 - 1, description="id of the comment answered")

    @field_validator("text", "name", "email")
    @classmethod
    def no_lone_surrogates(cls, value: str) -> str:
        # JSON may escape half a character (\ud800); no text column can store it.
        if _SURROGATES.search(value):
            raise ValueError("not valid Unicode text (a lone surrogate)")
        return value


class CommentAccepted(Schema):
    id: int
    status: Literal["published", "pending"]
    message: str


def local(moment: datetime) -> datetime:
    """In the site's time zone, so the offset printed is the paper's (+03:00 in Baghdad)."""
    return timezone.localtime(moment)


def section_ref(section: Section) -> dict:
    return {"slug": section.slug, "name": section.name, "url": section.get_absolute_url()}


def section_out(section: Section) -> dict:
    return section_ref(section) | {
        "description": section.description,
        "feed_url": reverse("feeds:section", args=[section.slug]),
    }


def credit(byline: Byline) -> dict:
    person = byline.contributor
    return {
        "name": person.name,
        "slug": person.slug,
        "role": byline.role,
        "label": byline.label,
        "url": person.get_absolute_url(),
    }


def image_out(article: Article) -> dict | None:
    image = article.featured_image
    if image is None or not image.file:
        return None
    return {
        "url": image.file.url,
        "width": image.width,
        "height": image.height,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
    }


def article_summary(article: Article) -> dict:
    """From an article loaded with `for_listing()`: no query per article."""
    return {
        "id": article.pk,
        "title": article.title,
        "kicker": article.kicker,
        "url": article.get_absolute_url(),
        "published_at": local(article.published_at),
        "updated_at": local(article.last_modified),
        "section": section_ref(article.section),
        "excerpt": article.excerpt(),
        "bylines": [credit(b) for b in article.bylines.all()],
        "image": image_out(article),
        "sponsored": article.sponsored,
    }


def article_detail(article: Article, *, comments_open: bool) -> dict:
    """From an article loaded with `for_page()`."""
    source = None
    if article.source_agency_id:
        agency = article.source_agency
        source = {
            "agency": agency.name,
            "agency_en": agency.name_en,
            "url": article.source_url or None,
        }
    return article_summary(article) | {
        "summary": article.summary,
        "body": article.body,
        "dateline": article.dateline,
        "tags": [
            {"slug": t.slug, "name": t.name, "url": t.get_absolute_url()}
            for t in article.tags.all()
        ],
        "source": source,
        "comments_open": comments_open,
        "comments_url": reverse("api-v1:article_comments", args=[article.pk]),
        # Filled once related-article selection exists; the field is part of the contract now.
        "related": [],
    }
