"""The contract every search backend fulfils; the reader page and the API see only this."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from jarida.search.query import Match

#: How many best matches are re-ranked with the recency boost: the study in
#: ../shared/notes showed latency goes into ranking every match, not finding them.
CANDIDATES = 200
MAX_CANDIDATES = 1000


@dataclass(frozen=True)
class SearchQuery:
    """What a reader asked: free text plus filters, an order and a page window."""

    text: str
    section_slug: str | None = None
    contributor_slug: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    order: str = "relevance"  # or "newest"
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class Candidate:
    """One matching article as a backend ranks it (higher relevance is better)."""

    article_id: int
    relevance: float


@dataclass
class SearchPage:
    article_ids: list[int]
    total: int
    terms: list[str] = field(default_factory=list)
    #: The last step search tried: "all" words, or a fallback step (jarida.search.query).
    stage: str = "all"
    #: The step that found each article of the page (relevance order only).
    found_by: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexEntry:
    """An article's analysed text: space-separated index terms for title and body."""

    article_id: int
    title_terms: str
    body_terms: str


_COMPILED: WeakKeyDictionary = WeakKeyDictionary()


def allowed_clause(allowed: QuerySet, id_column: str) -> tuple[str, tuple]:
    """`EXISTS (…)`: the index row's article passes the reader's filters.

    Correlated on the primary key, so the engine checks only the rows the full-text
    index found; an `IN (all allowed ids)` list cost ~0.7 s a query at 30,000 articles.
    """
    compiled = _COMPILED.setdefault(allowed, {})
    if id_column not in compiled:
        # Compiling a queryset costs ~4 ms; one search asks for the same clause per step.
        query = allowed.filter(pk=RawSQL(id_column, ())).values("pk").query
        sql, params = query.sql_with_params()
        compiled[id_column] = (f"EXISTS ({sql})", params)
    return compiled[id_column]


class SearchBackend:
    """Full-text index over analysed Arabic terms. Subclasses implement the SQL.

    Queries arrive as a `jarida.search.query.Match` (slots of alternatives, all terms
    letters or digits). `uses_term_weights` asks search to fill `Match.weights` with
    each slot's IDF from the vocabulary, for engines whose ranking has none.
    """

    uses_term_weights = False

    def index(self, entries: list[IndexEntry]) -> None:
        raise NotImplementedError

    def remove(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def orphan_ids(self, limit: int) -> list[int]:
        """Up to `limit` indexed ids whose article no longer exists (for the rebuild)."""
        raise NotImplementedError

    def terms_of(self, article_ids: list[int]) -> dict[int, set[str]]:
        """The distinct terms each indexed article holds now (for the vocabulary)."""
        raise NotImplementedError

    def count(self, match: "Match", allowed: QuerySet) -> int:
        """How many allowed articles the match finds."""
        raise NotImplementedError

    def best(self, match: "Match", allowed: QuerySet, limit: int) -> list[Candidate]:
        """The `limit` most relevant allowed articles the match finds."""
        raise NotImplementedError

    def newest(self, match: "Match", allowed: QuerySet, limit: int, offset: int) -> list[int]:
        """Allowed articles the match finds, newest first."""
        raise NotImplementedError
