"""Indexing and searching: what views, the API, signals and commands call."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jarida.articles.models import Article
from jarida.core.text import html_to_text
from jarida.monitoring.metrics import timed_search
from jarida.search.analysis import analyze, query_terms
from jarida.search.backends import get_backend
from jarida.search.backends.base import (
    CANDIDATES,
    MAX_CANDIDATES,
    Candidate,
    IndexEntry,
    SearchPage,
    SearchQuery,
)

#: The recency boost: a story published now scores up to 15% more than an old one with
#: the same relevance, halving every 30 days; it also breaks ties.
RECENCY_WEIGHT = 0.15
RECENCY_HALF_LIFE_DAYS = 30


def index_entry(article: Article) -> IndexEntry:
    """An article's text as index terms: title (and kicker) apart from the rest."""
    title = f"{article.title} {article.kicker}"
    body = f"{article.summary} {html_to_text(article.body)}"
    return IndexEntry(article.pk, " ".join(analyze(title)), " ".join(analyze(body)))


def index_articles(articles: Iterable[Article]) -> None:
    entries = [index_entry(article) for article in articles]
    if entries:
        get_backend().index(entries)


def remove_articles(article_ids: list[int]) -> None:
    get_backend().remove(article_ids)


def rebuild_index(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every article again, in batches; return the count."""
    backend = get_backend()
    done = 0
    with transaction.atomic():
        backend.clear()
        batch = []
        for article in Article.objects.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(article)
            if len(batch) == batch_size:
                index_articles(batch)
                done += len(batch)
                batch = []
                if progress:
                    progress(batch_size)
        index_articles(batch)
        done += len(batch)
        if progress and batch:
            progress(len(batch))
    return done


def allowed_articles(query: SearchQuery, now: datetime | None = None) -> QuerySet:
    """Published, due, and inside the reader's filters."""
    articles = Article.objects.published(at=now)
    if query.section_slug:
        articles = articles.filter(section__slug=query.section_slug)
    if query.contributor_slug:
        articles = articles.filter(bylines__contributor__slug=query.contributor_slug)
    return articles.published_between(query.date_from, query.date_to)


def rerank(candidates: list[Candidate], published: dict, now: datetime) -> list[int]:
    """Relevance scaled to the best match, gently boosted by recency (ties: newest)."""
    if not candidates:
        return []
    best = max(c.relevance for c in candidates) or 1.0

    def score(candidate: Candidate):
        age_days = max((now - published[candidate.article_id]).total_seconds(), 0) / 86400
        boost = 1 + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        return (candidate.relevance / best) * boost, published[candidate.article_id]

    return [c.article_id for c in sorted(candidates, key=score, reverse=True)]


@timed_search
def search(query: SearchQuery, now: datetime | None = None) -> SearchPage:
    """Article ids for one page of results, the total, and the analysed terms."""
    terms = query_terms(query.text)
    if not terms:
        return SearchPage([], 0, [])
    now = now or timezone.now()
    backend = get_backend()
    allowed = allowed_articles(query, now)
    total = backend.count(terms, allowed)
    if total == 0 or query.offset >= total:
        return SearchPage([], total, terms)
    if query.order == "newest":
        ids = backend.newest(terms, allowed, query.limit, query.offset)
        return SearchPage(ids, total, terms)
    window = min(max(CANDIDATES, query.offset + query.limit), MAX_CANDIDATES)
    candidates = backend.best(terms, allowed, window)
    published = dict(
        Article.objects.filter(pk__in=[c.article_id for c in candidates]).values_list(
            "pk", "published_at"
        )
    )
    ranked = rerank(candidates, published, now)
    return SearchPage(ranked[query.offset : query.offset + query.limit], total, terms)


def page_articles(page: SearchPage) -> list[Article]:
    """The page's articles in ranked order, ready for cards (one query plus bylines)."""
    found = Article.objects.filter(pk__in=page.article_ids).for_listing().in_bulk()
    return [found[pk] for pk in page.article_ids if pk in found]


def matching_ids(text: str, among: QuerySet, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of articles in `among` (any status) matching every word, best first: admin search."""
    terms = query_terms(text)
    if not terms:
        return []
    return [c.article_id for c in get_backend().best(terms, among, limit)]
