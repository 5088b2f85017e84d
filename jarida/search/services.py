"""Indexing and searching: what views, the API, signals and commands call."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles.models import Article, Byline, Section
from jarida.core.text import html_to_text
from jarida.monitoring.metrics import timed_search
from jarida.search import scoring, vocabulary
from jarida.search.analysis import analyze, query_terms, query_words
from jarida.search.backends import get_backend
from jarida.search.backends.base import (
    CANDIDATES,
    MAX_CANDIDATES,
    Candidate,
    EntryFields,
    Filter,
    IndexEntry,
    SearchPage,
    SearchQuery,
)
from jarida.search.query import PAGE, Match, Word, expand, variant_slots, weights

#: Queries of this many words (after variants) fall back to "any one word missing";
#: shorter ones lose their most common word, longer ones too (the OR would grow).
ONE_MISSING_FROM, ONE_MISSING_UP_TO = 3, 6

#: The title rule: a full page found by one of these steps, none of whose best holds the
#: query's words in its title (they are scattered in bodies: at 300,000 articles, other
#: stories' sentences), does not stop search. After `all`, a story with a variant of a
#: word in its title competes; after `variants`, a story whose title holds the other
#: words and a spelling of this one no rule foresaw. Empty: the rule is off.
WIDENED = ("all", "variants")

#: Each backend's best candidates are ordered by one formula (`jarida.search.scoring`),
#: so the same query ranks alike on every engine.
SHARED_RANKING = True
#: How many of a backend's best the shared ranking orders (more when paging deeper); the
#: rest follow in the backend's order. Counting terms costs about as much as the best
#: query itself for 50 candidates, and an engine's 50 best hold the shared ranking's
#: first page with rare exceptions (docs/search.md).
RESCORED = 50

#: The recency boost: a story published now scores up to 15% more than an old one with
#: the same relevance, halving every 30 days; it also breaks ties.
RECENCY_WEIGHT = 0.15
RECENCY_HALF_LIFE_DAYS = 30


def entry_fields(articles: list[Article]) -> dict[int, EntryFields]:
    """The filter fields the index entries carry, bylines read in one query."""
    credited: dict[int, list[int]] = {a.pk: [] for a in articles}
    # An article not saved yet (a bulk import's worker makes its entry ahead) has none.
    if saved := [pk for pk in credited if pk is not None]:
        pairs = Byline.objects.filter(article__in=saved).order_by("pk")
        for article_id, contributor_id in pairs.values_list("article_id", "contributor_id"):
            if contributor_id not in credited[article_id]:
                credited[article_id].append(contributor_id)
    return {
        a.pk: EntryFields(a.pk, a.status, a.section_id, tuple(credited[a.pk]), a.published_at)
        for a in articles
    }


def index_entry(article: Article, fields: EntryFields | None = None) -> IndexEntry:
    """An article's text as index terms (title and kicker apart from the rest), its fields."""
    title = f"{article.title} {article.kicker}"
    body = f"{article.summary} {html_to_text(article.body)}"
    entry = IndexEntry(article.pk, " ".join(analyze(title)), " ".join(analyze(body)))
    return with_fields(entry, fields or entry_fields([article])[article.pk])


def with_fields(entry: IndexEntry, fields: EntryFields) -> IndexEntry:
    return replace(
        entry,
        article_id=fields.article_id,
        status=fields.status,
        section_id=fields.section_id,
        contributor_ids=fields.contributor_ids,
        published_at=fields.published_at,
    )


def index_articles(articles: Iterable[Article], fresh: bool = False) -> None:
    """Index (or re-index) articles; the vocabulary follows once the transaction commits."""
    articles = list(articles)
    fields = entry_fields(articles)
    index_entries([index_entry(a, fields[a.pk]) for a in articles], fresh)


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


def reindex(article_ids: Iterable[int]) -> int:
    """Index these articles as they are now, drop the ones deleted since; return the count.

    What the index task runs after a save commits. The rows are locked for the few
    milliseconds it takes, so two workers indexing one article take turns and each sees
    the other's terms as the old ones: the vocabulary's counts stay exact.
    """
    ids = sorted({int(pk) for pk in article_ids})
    with transaction.atomic():
        articles = list(Article.objects.filter(pk__in=ids).order_by("pk").select_for_update())
        index_articles(articles)
        found = {article.pk for article in articles}
        gone = [pk for pk in ids if pk not in found]
        if gone:
            remove_articles(gone)
    return len(articles)


def rebuild_index(batch_size: int = 500, progress: Callable[[int], None] | None = None) -> int:
    """Index every article again beside the live index, then swap; return the count.

    The live index keeps answering and keeps following the newsroom's saves meanwhile;
    the new one is filled in short transactions (one a batch), then brought up to date
    with what was saved since it started, and made live in one short transaction that
    renames tables (docs/search.md, "Rebuilding").
    """
    backend = get_backend()
    started = timezone.now()
    with transaction.atomic():
        backend.start_rebuild()
        vocabulary.start_rebuild()
    df: Counter = Counter()
    done = 0
    try:
        last = 0
        while True:
            batch = list(Article.objects.filter(pk__gt=last).order_by("pk")[:batch_size])
            if not batch:
                break
            last = batch[-1].pk
            with transaction.atomic():
                entries = _entries(batch)
                backend.index_next(entries)
            # What indexing these entries afresh adds: the same rule as every save's.
            df.update(vocabulary.delta({}, _terms(entries)))
            done += len(entries)
            if progress:
                progress(len(entries))
        with transaction.atomic():
            vocabulary.apply(df, vocabulary.NEXT)
        # Saved while the rebuild ran: indexed again, outside any lock the newsroom feels.
        caught_up = timezone.now()
        _catch_up(backend, started)
        backend.finish_rebuild()
        with transaction.atomic():
            # The last few seconds' saves, then the swap: one short transaction.
            backend.prepare_swap()
            _catch_up(backend, caught_up)
            backend.swap()
            vocabulary.swap()
        backend.after_swap()
    except BaseException:
        with transaction.atomic():
            backend.abandon_rebuild()
            vocabulary.abandon_rebuild()
        raise
    return done


def _entries(articles: list[Article]) -> list[IndexEntry]:
    fields = entry_fields(articles)
    return [index_entry(a, fields[a.pk]) for a in articles]


def _catch_up(backend, since: datetime) -> None:
    """Re-index into the new index what was saved (or deleted) since `since`."""
    with transaction.atomic():
        changed = list(Article.objects.filter(updated_at__gte=since - timedelta(seconds=1)))
        gone = backend.orphans_next()
        old = backend.terms_of_next([a.pk for a in changed] + gone)
        entries = _entries(changed)
        backend.index_next(entries)
        backend.remove_next(gone)
        new = {e.article_id: set(f"{e.title_terms} {e.body_terms}".split()) for e in entries}
        vocabulary.apply(vocabulary.delta(old, new), vocabulary.NEXT)


class NoMatch(Exception):
    """A filter names a section or contributor that does not exist: nothing can match."""


def reader_filters(query: SearchQuery, now: datetime) -> list[Filter]:
    """Published, due, and inside the reader's filters, as the index's declared fields."""
    filters = [
        Filter("status", "exact", Article.Status.PUBLISHED),
        Filter("published_at", "lte", now),
    ]
    if query.section_slug:
        section = Section.objects.filter(slug=query.section_slug).values_list("pk", flat=True)
        if not (found := section.first()):
            raise NoMatch
        filters.append(Filter("section", "exact", found))
    if query.contributor_slug:
        person = Contributor.objects.filter(slug=query.contributor_slug).values_list(
            "pk", flat=True
        )
        if not (found := person.first()):
            raise NoMatch
        filters.append(Filter("contributor", "exact", found))
    # Calendar days in the site's time zone, both included (as Article.published_between).
    tz = timezone.get_current_timezone()
    if query.date_from and query.date_from > query.date_from.min:
        filters.append(
            Filter("published_at", "gte", datetime.combine(query.date_from, time.min, tz))
        )
    if query.date_to and query.date_to < query.date_to.max:
        next_day = datetime.combine(query.date_to + timedelta(days=1), time.min, tz)
        filters.append(Filter("published_at", "lt", next_day))
    return filters


def rerank(candidates: list[Candidate], published: dict, now: datetime) -> list[int]:
    """Relevance scaled to the best match, gently boosted by recency (ties: newest)."""
    if not candidates:
        return []
    best = max(c.relevance for c in candidates) or 1.0

    def score(candidate: Candidate):
        age_days = max((now - published[candidate.article_id]).total_seconds(), 0) / 86400
        boost = 1 + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
        # The id last: equal scores and times order alike on every engine.
        relevance = (candidate.relevance / best) * boost
        return relevance, published[candidate.article_id], candidate.article_id

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
    try:
        allowed = reader_filters(query, now)
    except NoMatch:
        return SearchPage([], 0, [w.term for w in words])
    window = min(max(CANDIDATES, query.offset + query.limit), MAX_CANDIDATES)
    shared = SHARED_RANKING and query.order != "newest"
    # One look-up: documents, their summed lengths and the words' frequencies.
    stats = vocabulary.frequencies(
        [vocabulary.DOCUMENTS, vocabulary.LENGTHS, *(w.term for w in words)]
    )
    mean_length = vocabulary.mean_length(
        stats.get(vocabulary.LENGTHS, 0), stats.get(vocabulary.DOCUMENTS, 0)
    )
    found: dict[str, list[Candidate]] = {}
    total, step, terms = 0, "all", [w.term for w in words]
    # One more than asked for tells "more than count_up_to" from "exactly that many".
    up_to = query.count_up_to + 1 if query.count_up_to else None
    untitled = False  # a full page of matches, none with the words in its title
    for name, match in _steps(words, backend, stats, weigh=shared):
        if name == "any" and any(found.values()):
            break  # the last resort is for an empty page only: it ranks a great many matches
        step, terms = name, match.terms()
        titled = None  # whether the step's best hold its words in a title, when counts tell
        if query.order == "newest":
            total = backend.count(match, allowed, up_to)
        else:
            candidates, total = backend.best_counted(match, allowed, window, up_to)
            if shared:
                depth = max(RESCORED, query.offset + query.limit)
                candidates, titled = _rescored(backend, match, candidates, mean_length, depth)
            found[name] = candidates
        if total >= PAGE:
            if name in WIDENED and query.order != "newest":
                if titled is None:  # no counts from the backend: ask it
                    titled = bool(backend.count(replace(match, in_title=True), allowed, 1))
                if not titled:
                    untitled = True
                    continue
            break
    more = up_to is not None and total >= up_to
    if more:
        total = query.count_up_to
    if query.order == "newest" and total:
        ids = backend.newest(match, allowed, query.limit, query.offset)
        return SearchPage(ids, total, terms, step, more=more)
    found_by = _ranked(found, now, together=untitled)
    ids = list(found_by)[query.offset : query.offset + query.limit]
    found_on_page = {pk: found_by[pk] for pk in ids}
    return SearchPage(ids, total, terms, step, found_on_page, untitled, more)


def _rescored(
    backend, match: Match, candidates: list[Candidate], mean_length: float, depth: int
) -> tuple[list[Candidate], bool | None]:
    """The backend's `depth` best with the shared ranking's relevance, the rest after them
    (relevance 0), and whether any of the best holds the match in its title; the
    candidates as they came and None when the backend reports no counts."""
    head, tail = candidates[:depth], candidates[depth:]
    counts = backend.term_counts([c.article_id for c in head], match.terms())
    if not counts:
        return candidates, None
    empty = scoring.TermCounts()
    rescored = [
        replace(c, relevance=scoring.score(match, counts.get(c.article_id, empty), mean_length))
        for c in head
    ]
    rescored += [replace(c, relevance=0.0) for c in tail]
    return rescored, any(scoring.in_title(match, found) for found in counts.values())


def _steps(words: list[Word], backend, df: dict, weigh: bool = False):
    """(step name, Match) in the order search tries them; later ones only when needed.

    `df` holds the words' frequencies and the number of documents; slots carry IDF
    weights when the backend ranks by them or the shared ranking needs them."""
    weigh = weigh or backend.uses_term_weights
    strict = Match.strict([w.term for w in words])
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
    if ONE_MISSING_FROM <= len(slots) <= ONE_MISSING_UP_TO:
        # Any one word may be missing: the one in a form the story does not use is rarely
        # the most common one. One query (an OR of the ways), ranked by IDF as ever.
        yield "drop", _weighted(Match(tuple(slots), one_missing=True), documents, df, weigh)
    elif len(slots) > 1:
        # The least informative word is the one the most articles contain.
        common = max(range(len(slots)), key=lambda i: (slot_df(slots[i]), i))
        kept = tuple(slot for i, slot in enumerate(slots) if i != common)
        yield "drop", _weighted(Match(kept), documents, df, weigh)
    if len(slots) > 1:
        yield "any", _weighted(Match(tuple(slots), any_slot=True), documents, df, weigh)


def _weighted(match: Match, documents: int, df: dict, weigh: bool) -> Match:
    if not weigh:
        return match
    return replace(match, weights=weights(list(match.slots), documents, df))


def _ranked(
    found: dict[str, list[Candidate]], now: datetime, together: bool = False
) -> dict[int, str]:
    """article id → the step that found it, best first; an earlier step's finds first.

    `together`: an earlier step's best held the words only in their bodies, so they
    compete with the last step's matches on the last step's relevance (each step matches
    all that an earlier one does); what its best left out follows, step by step back."""
    # The index entries carry publication times: no look-up in the articles table.
    published = {c.article_id: c.published_at or now for cs in found.values() for c in cs}
    ranked: list[int] = []
    for step in reversed(found) if together else found:
        ranked += rerank(found[step], published, now)
    # Each article is labelled with the first step that found it.
    first = {}
    for step in reversed(found):
        first |= dict.fromkeys((c.article_id for c in found[step]), step)
    return {pk: first[pk] for pk in dict.fromkeys(ranked)}


def page_articles(page: SearchPage) -> list[Article]:
    """The page's articles in ranked order, ready for cards (one query plus bylines)."""
    found = Article.objects.filter(pk__in=page.article_ids).for_listing().in_bulk()
    return [found[pk] for pk in page.article_ids if pk in found]


#: Up to this many articles, the back office's own articles are passed to the backend
#: as a filter; beyond, the best matches of the whole index are intersected with them.
ARTICLE_FILTER_AT_MOST = 5000


def matching_ids(text: str, among: QuerySet, limit: int = MAX_CANDIDATES) -> list[int]:
    """Ids of articles in `among` (any status) matching every word, best first: admin search."""
    terms = query_terms(text)
    if not terms:
        return []
    ids = list(among.values_list("pk", flat=True)[: ARTICLE_FILTER_AT_MOST + 1])
    filters = [Filter("article", "in", ids)] if len(ids) <= ARTICLE_FILTER_AT_MOST else []
    return [c.article_id for c in get_backend().best(Match.strict(terms), filters, limit)]
