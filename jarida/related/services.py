"""Computing and storing related stories: run when a story is published or edited.

Readers never cause this work: the article page reads the stored rows in one query
(`RelatedArticle.objects.for_page`). The work itself is a background task
(`jarida.related.tasks`), enqueued once the editor's transaction has committed.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from jarida.articles.models import Article
from jarida.core.text import html_to_text
from jarida.related import selection
from jarida.related.models import RelatedArticle, RelatedChoice
from jarida.search import vocabulary
from jarida.search.backends import get_backend
from jarida.search.backends.base import Filter
from jarida.search.query import Match

#: The cards of an article's related block, as the page prints them (see cards_for_page).
CARDS_KEY = "related:cards:{}"
CARDS_SECONDS = 24 * 3600
#: How many full-text candidates are scored (ranked by the search engine first).
TEXT_CANDIDATES = 100
#: How many stories sharing a tag are considered besides the full-text ones.
TAG_CANDIDATES = 30


def related_count() -> int:
    return settings.JARIDA_RELATED_COUNT


def card_excerpt(article: Article) -> str:
    return article.excerpt(settings.JARIDA_RELATED_EXCERPT_CHARS)


def story_signature(article: Article) -> dict[str, float]:
    body = f"{article.kicker} {article.summary} {html_to_text(article.body)}"
    counts = selection.weighted_terms(article.title, body)
    df = vocabulary.frequencies([vocabulary.DOCUMENTS, *counts])
    return selection.signature(counts, df, df.get(vocabulary.DOCUMENTS, 0))


def ranked_candidates(article: Article, limit: int) -> list[tuple[int, float]]:
    """(article id, score) of the stories most related to `article`, best first."""
    signature = story_signature(article)
    published = Article.objects.published().exclude(pk=article.pk)
    ids: set[int] = set()
    backend = get_backend()
    if signature:
        match = Match(tuple(((term,),) for term in signature), any_slot=True)
        if backend.uses_term_weights:
            match = Match(match.slots, tuple(signature.values()), any_slot=True)
        # The index's declared fields: published and due (the story itself dropped after).
        public = [
            Filter("status", "exact", Article.Status.PUBLISHED),
            Filter("published_at", "lte", timezone.now()),
        ]
        found = backend.best(match, public, TEXT_CANDIDATES + 1)
        ids |= {c.article_id for c in found if c.article_id != article.pk}
    tag_ids = frozenset(article.tags.values_list("pk", flat=True))
    if tag_ids:
        sharing = (
            published.filter(tags__in=tag_ids)
            .annotate(shared=Count("tags", filter=Q(tags__in=tag_ids)))
            .order_by("-shared", "-published_at")
            .values_list("pk", flat=True)[:TAG_CANDIDATES]
        )
        ids |= set(sharing)
    if not ids:
        return []
    terms = backend.terms_of(sorted(ids))
    rows = Article.objects.filter(pk__in=ids).values_list("pk", "published_at", "section_id")
    tags_of: dict[int, set[int]] = {}
    for pk, tag in Article.tags.through.objects.filter(article_id__in=ids).values_list(
        "article_id", "tag_id"
    ):
        tags_of.setdefault(pk, set()).add(tag)
    candidates = [
        selection.Candidate(
            pk, frozenset(terms.get(pk, ())), when, section, frozenset(tags_of.get(pk, ()))
        )
        for pk, when, section in rows
    ]
    return selection.rank(
        signature,
        candidates,
        limit,
        published_at=article.published_at,
        section_id=article.section_id,
        tag_ids=tag_ids,
    )


@transaction.atomic
def refresh_related(article: Article) -> list[int]:
    """Choose and store the article's related stories; return their ids in order."""
    if article.status != Article.Status.PUBLISHED or article.published_at is None:
        RelatedArticle.objects.filter(article=article).delete()
        cache.delete(CARDS_KEY.format(article.pk))
        return []
    count = related_count()
    choices = list(RelatedChoice.objects.filter(article=article))
    pinned = [c.other_id for c in choices if c.kind == RelatedChoice.Kind.PIN]
    excluded = {c.other_id for c in choices if c.kind == RelatedChoice.Kind.EXCLUDE}
    ranked = ranked_candidates(article, count + len(excluded) + len(pinned))
    scores = dict(ranked)
    chosen = selection.choose([pk for pk, _ in ranked], pinned, excluded, count)
    stories = Article.objects.filter(pk__in=chosen).for_listing().in_bulk()
    RelatedArticle.objects.filter(article=article).delete()
    transaction.on_commit(lambda: cache.delete(CARDS_KEY.format(article.pk)))
    RelatedArticle.objects.bulk_create(
        RelatedArticle(
            article=article,
            related=stories[pk],
            position=position,
            score=scores.get(pk, 0.0),
            pinned=pk in pinned,
            credit=stories[pk].dateline_credit,
            excerpt=card_excerpt(stories[pk]),
        )
        for position, pk in enumerate(pk for pk in chosen if pk in stories)
    )
    return [pk for pk in chosen if pk in stories]


@transaction.atomic
def set_choices(article: Article, *, pinned: list[int], excluded: list[int]) -> None:
    """Replace the editor's pins (in order) and exclusions; the selection reruns on commit."""
    RelatedChoice.objects.filter(article=article).delete()
    RelatedChoice.objects.bulk_create(
        [
            RelatedChoice(article=article, other_id=pk, kind=RelatedChoice.Kind.PIN, position=i)
            for i, pk in enumerate(pinned)
        ]
        + [
            RelatedChoice(article=article, other_id=pk, kind=RelatedChoice.Kind.EXCLUDE)
            for pk in excluded
        ]
    )
    from jarida.related.tasks import enqueue_after_commit

    enqueue_after_commit(article.pk)


def refresh_cards_showing(article: Article) -> list[int]:
    """Other stories' stored cards of `article`: its dateline line and excerpt, anew.

    Returns the ids of the stories whose related block shows it."""
    story = Article.objects.for_listing().get(pk=article.pk)
    forget_cards_showing(story.pk)
    showing = RelatedArticle.objects.filter(related=story)
    ids = sorted(set(showing.values_list("article_id", flat=True)))
    showing.update(credit=story.dateline_credit, excerpt=card_excerpt(story))
    return ids


def forget_cards_showing(article_id: int) -> None:
    """Drop the cached blocks of every article whose related cards show this one."""
    showing = RelatedArticle.objects.filter(related_id=article_id).values_list(
        "article_id", flat=True
    )
    cache.delete_many([CARDS_KEY.format(pk) for pk in showing])


def cards_for_page(article: Article) -> list[dict]:
    """The related block's cards: from the shared cache (no query), else one query.

    The cache holds what the stored rows say; it is dropped whenever they change (the
    article's selection reruns, or a story it shows is edited, unpublished or deleted).
    A story shown before its time (an editor's pin of a scheduled story) is left out
    here, by the clock, as the query would.
    """
    key = CARDS_KEY.format(article.pk)
    cards = cache.get(key)
    if cards is None:
        cards = [
            {
                "title": row.related.title,
                "url": row.related.get_absolute_url(),
                "published_at": row.related.published_at,
                "credit": row.credit,
                "excerpt": row.excerpt,
                "sponsored": row.related.sponsored,
            }
            for row in RelatedArticle.objects.for_page(article, at=False)
        ]
        cache.set(key, cards, CARDS_SECONDS)
    now = timezone.now()
    return [card for card in cards if card["published_at"] <= now]
