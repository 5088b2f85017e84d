"""Articles: the newest first with filters and a cursor, and one article in full."""

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from jarida.api import pagination
from jarida.api.schemas import (
    ArticleDetail,
    ArticlePage,
    Error,
    IsoDate,
    article_detail,
    article_summary,
)
from jarida.articles.models import Article
from jarida.comments.services import comments_are_open
from jarida.core.text import clean_text
from jarida.reader import page_cache

router = Router(tags=["articles"])

NOT_FOUND = "لا يوجد مقال منشور بهذا الرقم."
#: Ids are 64-bit in the database; a larger number in the path is a 422, not a crash.
MAX_ID = 2**63 - 1
ArticleId = Path(..., ge=1, le=MAX_ID, description="the id in the article's URL")


class ArticleFilters(Schema):
    section: str | None = Field(None, max_length=100, description="section slug")
    tag: str | None = Field(None, max_length=100, description="tag slug")
    contributor: str | None = Field(
        None, max_length=150, description="contributor slug, credited in any role"
    )
    date_from: IsoDate | None = Field(None, alias="from", description="ISO date, inclusive")
    date_to: IsoDate | None = Field(None, alias="to", description="ISO date, inclusive")
    cursor: str | None = Field(
        None,
        min_length=pagination.CURSOR_LENGTH,
        max_length=pagination.CURSOR_LENGTH,
        pattern=pagination.CURSOR_PATTERN,
        description="`next` of the previous page",
    )
    limit: int = Field(10, ge=1, le=100)


def visible_article(article_id: int, queryset=None) -> Article:
    """A published, due article, or a 404 (drafts and scheduled stories do not exist here)."""
    queryset = queryset if queryset is not None else Article.objects.all()
    article = queryset.published().filter(pk=article_id).first()
    if article is None:
        raise Http404(NOT_FOUND)
    return article


def _slug(value: str | None) -> str | None:
    # Control characters (NUL) never reach the database; a slug of nothing matches nothing.
    return None if value is None else clean_text(value)


@router.get(
    "",
    response={200: ArticlePage, 422: Error},
    summary="Published articles, newest first",
    url_name="articles",
)
def list_articles(request: HttpRequest, filters: Query[ArticleFilters]):
    """Filter by section, tag, contributor and dates; follow `next` for older stories."""
    articles = Article.objects.published().published_between(filters.date_from, filters.date_to)
    if (section := _slug(filters.section)) is not None:
        articles = articles.filter(section__slug=section)
    if (tag := _slug(filters.tag)) is not None:
        articles = articles.filter(tags__slug=tag)
    if (contributor := _slug(filters.contributor)) is not None:
        articles = articles.credited_to(contributor)
    rows, next_cursor = pagination.page(articles.for_cards(), filters.cursor, filters.limit)
    page_cache.add_keys(request, page_cache.API_ARTICLES)
    page_cache.add_article_keys(request, rows)
    return {"results": [article_summary(a) for a in rows], "next": next_cursor}


@router.get(
    "/{article_id}",
    response={200: ArticleDetail, 404: Error, 422: Error},
    summary="One published article in full",
    url_name="article",
)
def get_article(request: HttpRequest, article_id: int = ArticleId):
    """Body, bylines, source and tags; 404 for drafts, scheduled and unpublished stories."""
    article = visible_article(article_id, Article.objects.for_page())
    page_cache.add_keys(request, page_cache.article_key(article.pk))
    return article_detail(article, comments_open=comments_are_open(article))
