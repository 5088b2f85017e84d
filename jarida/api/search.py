"""Search, as the reader's search page does it (see docs/search.md)."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jarida.api.schemas import Error, IsoDate
from jarida.articles.models import Article
from jarida.core.text import clean_text
from jarida.search import services
from jarida.search.backends.base import SearchQuery

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field("", max_length=10_000, description="the reader's words, any spelling")
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    section: str | None = Field(None, max_length=100, description="section slug")
    date_from: IsoDate | None = Field(None, alias="from", description="ISO date, inclusive")
    date_to: IsoDate | None = Field(None, alias="to", description="ISO date, inclusive")


class SearchResult(Schema):
    id: int
    title: str
    url: str
    published_at: datetime
    section: str | None
    excerpt: str
    sponsored: bool


class SearchResponse(Schema):
    results: list[SearchResult]
    total: int


def _result(article: Article) -> SearchResult:
    return SearchResult(
        id=article.pk,
        title=article.title,
        url=article.get_absolute_url(),
        published_at=timezone.localtime(article.published_at),
        section=article.section.name if article.section_id else None,
        excerpt=article.excerpt(),
        sponsored=article.sponsored,
    )


@router.get(
    "/search",
    response={200: SearchResponse, 422: Error},
    summary="Search published articles",
    url_name="search",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    """Published articles matching every word of `q`, best first; when those are fewer
    than a page, then variants of the words, fewer words, any word (docs/search.md)."""
    page = services.search(
        SearchQuery(
            text=clean_text(params.q),
            section_slug=params.section,
            date_from=params.date_from,
            date_to=params.date_to,
            limit=params.limit,
            offset=params.offset,
        )
    )
    return {"results": [_result(a) for a in services.page_articles(page)], "total": page.total}
