"""Indexing and searching: what views, the API, signals and commands call."""

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jarida.articles.models import Article
from jarida.core.text import html_to_text
from jarida.monitoring.metrics import timed_search
from jarida.search import vocabulary
from jarida.search.analysis import analyze, query_terms, query_words
from jarida.search.backends import get_backend
from jarida.search.backends.base import (
    CANDIDATES,
    MAX_CANDIDATES,
    Candidate,
    IndexEntry,
    SearchPage,
    SearchQuery,
)
from jarida.search.query import PAGE, Match, Word, expand, variant_slots, weights

#: The recency boost: a story published now scores up to 15% more than an old one with
#: the same relevance, halving every 30 days; it also breaks ties.
RECENCY_WEIGHT = 0.15
RECENCY_HALF_LIFE_DAYS = 30


def index_entry(article: Article) -> IndexEntry:
    """An article's text as index terms: title (and kicker) apart from the rest."""
    title = f"{article.title} {article.kicker}"
    body = f"{article.summary} {html_to_text(article.body)}"
    return IndexEntry(article.pk, " ".join(analyze(title)), " ".join(analyze(body)))


def index_articles(articles: Iterable[Article], fresh: bool = False) -> None:
    """Index (or re-index) articles; the vocabulary follows once the transaction commits."""
    index_entries([index_entry(article) for article in articles], fresh)


def _terms(entries: list[IndexEntry]) -> dict[int, set[str]]:
    return {e.article_id: set(f"{e.title_terms} {e.body_terms}".split()) for e in entries}


def new_vocabulary(entries: list[IndexEntry]) -> list[tuple[str, str, int]]:
    """The vocabulary rows that indexing these entries adds when none was indexed before:
    `index_entries(..., vocabulary_rows=)` takes them (a bulk import's worker makes them
    ahead, in the same order as its entries, so the importer does not split every text)."""
    # By position: entries made ahead have no article id yet.
    terms = {i: set(f"{e.title_terms} {e.body_terms}".split()) for i, e in enumerate(entries)}
    return vocabulary.rows(vocabulary.delta({}, terms))


def index_entries(entries: list, fresh: bool = False, vocabulary_rows=None) -> None:
    """Index entries made ahead (a bulk import's worker did the text work), vocabulary too.

    `vocabulary_rows` is `new_vocabulary(entries)` made ahead, for entries of articles
    never indexed (new ones); without it the change is worked out here."""
    if not entries:
        return
    backend = get_backend()
    if vocabulary_rows is not None:
        backend.index(entries)
        _update_vocabulary(vocabulary_rows)
        return
    old = {} if fresh else backend.terms_of([e.article_id for e in entries])
    backend.index(entries)
    _update_vocabulary(vocabulary.delta(old, _terms(entries)))


def remove_articles(article_ids: list[int]) -> None:
    backend = get_backend()
    old = backend.terms_of(article_ids)
    backend.remove(article_ids)
    _update_vocabulary(vocabulary.delta(old, {}))


def _update_vocabulary(delta) -> None:
    # After commit, in a transaction of its own: an article's save never holds the shared
    # term rows, so two desks saving at once never wait on each other (docs/search.md).
    transaction.on_commit(lambda: vocabulary.apply(delta))


def rebuild_index(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every article again, in batches; return the count."""
    backend = get_backend()
    done = 0
    with transaction.atomic():
        backend.clear()
        vocabulary.clear()
        batch = []
        for article in Article.objects.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(article)
            if len(batch) == batch_size:
                index_articles(batch, fresh=True)
                done += len(batch)
                batch = []
                if progress:
                    progress(batch_size)
        index_articles(batch, fresh=True)
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
    """Article ids for one page of results, the total, the terms, and the step that answered.

    Every word must match first; when that finds fewer than a page, search falls back
    step by step (`jarida.search.query`), ranking what an earlier step found first.
    """
    words = [Word(token, term) for token, term in query_words(query.text)]
    if not words:
        return SearchPage([], 0, [])
    now = now or timezone.now()
    backend = get_backend()
    allowed = allowed_articles(query, now)
    window = min(max(CANDIDATES, query.offset + query.limit), MAX_CANDIDATES)
    found: dict[str, list[Candidate]] = {}
    total, step, terms = 0, "all", [w.term for w in words]
    for name, match in _steps(words, backend):
        if name == "any" and any(found.values()):
            break  # the last resort is for an empty page only: it ranks a great many matches
        step, terms = name, match.terms()
        if query.order == "newest":
            total = backend.count(match, allowed)
        else:
            candidates = backend.best(match, allowed, window)
            # Fewer than asked for is all there is: no second query to count them.
            total = len(candidates)
            if total == window:
                total = backend.count(match, allowed)
            found[name] = candidates
        if total >= PAGE:
            break
    if query.order == "newest" and total:
        ids = backend.newest(match, allowed, query.limit, query.offset)
        return SearchPage(ids, total, terms, step)
    found_by = _ranked(found, now)
    ids = list(found_by)[query.offset : query.offset + query.limit]
    return SearchPage(ids, total, terms, step, {pk: found_by[pk] for pk in ids})


def _steps(words: list[Word], backend):
    """(step name, Match) in the order search tries them; later ones only when needed."""
    weigh = backend.uses_term_weights
    strict = Match.strict([w.term for w in words])
    # One look-up for the terms' frequencies and the number of documents, when needed.
    df = vocabulary.frequencies([vocabulary.DOCUMENTS, *strict.terms()]) if weigh else {}
    documents = df.get(vocabulary.DOCUMENTS, 0)
    yield "all", _weighted(strict, documents, df, weigh)
    expand(words)
    slots = variant_slots(words)
    df = vocabulary.frequencies(t for slot in slots for alt in slot for t in alt)

    def slot_df(slot):
        return sum(min((df.get(t, 0) for t in alt), default=0) for alt in slot)

    # A word the index holds in no form can never match: requiring it empties the page.
    slots = [slot for slot in slots if slot_df(slot)]
    if not slots:
        return
    variants = Match(tuple(slots))
    if variants != strict:
        yield "variants", _weighted(variants, documents, df, weigh)
    if len(slots) > 1:
        # The least informative word is the one the most articles contain.
        common = max(range(len(slots)), key=lambda i: (slot_df(slots[i]), i))
        kept = tuple(slot for i, slot in enumerate(slots) if i != common)
        yield "drop", _weighted(Match(kept), documents, df, weigh)
        yield "any", _weighted(Match(tuple(slots), any_slot=True), documents, df, weigh)


def _weighted(match: Match, documents: int, df: dict, weigh: bool) -> Match:
    if not weigh:
        return match
    return replace(match, weights=weights(list(match.slots), documents, df))


def _ranked(found: dict[str, list[Candidate]], now: datetime) -> dict[int, str]:
    """article id → the step that found it, best first; an earlier step's finds first."""
    ids = {c.article_id for candidates in found.values() for c in candidates}
    published = dict(Article.objects.filter(pk__in=ids).values_list("pk", "published_at"))
    found_by: dict[int, str] = {}
    for step, candidates in found.items():
        for pk in rerank(candidates, published, now):
            found_by.setdefault(pk, step)
    return found_by


def page_articles(page: SearchPage) -> list[Article]:
    """The page's articles in ranked order, ready for cards (one query plus bylines)."""
    found = Article.objects.filter(pk__in=page.article_ids).for_listing().in_bulk()
    return [found[pk] for pk in page.article_ids if pk in found]


def matching_ids(text: str, among: QuerySet, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of articles in `among` (any status) matching every word, best first: admin search."""
    terms = query_terms(text)
    if not terms:
        return []
    return [c.article_id for c in get_backend().best(Match.strict(terms), among, limit)]
