"""Sections and contributors: the lists a client needs to filter articles by."""

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from jarida.accounts.models import Contributor
from jarida.api.schemas import ContributorPage, Error, SectionOut, section_out
from jarida.articles.models import is_public
from jarida.articles.navigation import menu_sections

router = Router()


@router.get(
    "/sections",
    response={200: list[SectionOut]},
    tags=["sections"],
    summary="Every section, in menu order",
    url_name="sections",
)
def list_sections(request: HttpRequest):
    return [section_out(s) for s in menu_sections()]


class ContributorParams(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


@router.get(
    "/contributors",
    response={200: ContributorPage, 422: Error},
    tags=["contributors"],
    summary="People credited on published articles, by name",
    url_name="contributors",
)
def list_contributors(request: HttpRequest, params: Query[ContributorParams]):
    """Only people with a published article: a scheduled debut is not announced early."""
    published = is_public("bylines__article__")
    people = (
        Contributor.objects.annotate(
            articles=Count("bylines__article", filter=published, distinct=True)
        )
        .filter(articles__gt=0)
        .order_by("name", "pk")
    )
    window = people[params.offset : params.offset + params.limit]
    return {
        "results": [
            {
                "slug": p.slug,
                "name": p.name,
                "bio": p.bio,
                "url": p.get_absolute_url(),
                "feed_url": reverse("feeds:contributor", args=[p.slug]),
                "articles": p.articles,
            }
            for p in window
        ],
        "total": people.count(),
    }
