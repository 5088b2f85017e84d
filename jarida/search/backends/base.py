"""The contract every search backend fulfils; the reader page and the API see only this.

The shape follows Wagtail's search backends (wagtail/search/backends/base.py, now
django-modelsearch): a backend never sees a compiled Django queryset. It receives the
analysed query (`jarida.search.query.Match`) and a list of `Filter`s on fields the index
entries declare and carry themselves (`FILTER_FIELDS`), and compiles both to its own
language, as `_process_lookup` does there. An external engine (OpenSearch, Meilisearch…)
can implement the same methods without touching the reader page, the API or search's
fallback steps; a filter on an undeclared field or lookup is refused (`FilterFieldError`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jarida.search.query import Match
    from jarida.search.scoring import TermCounts

#: How many best matches are re-ranked with the recency boost: the study in
#: ../shared/notes showed latency goes into ranking every match, not finding them.
CANDIDATES = 200
MAX_CANDIDATES = 1000

#: The fields every index entry carries for filtering, and the lookups each allows.
FILTER_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("in",),  # the article's id (the back office's own articles)
    "status": ("exact",),
    "section": ("exact",),  # section id
    "contributor": ("exact",),  # a contributor credited in any role (id)
    "published_at": ("gte", "lt", "lte"),
}


class FilterFieldError(ValueError):
    """A filter on a field the index does not carry, or with a lookup it cannot answer."""


@dataclass(frozen=True)
class Filter:
    """`field` `lookup` `value`, e.g. Filter("published_at", "lte", now); all must hold."""

    field: str
    lookup: str
    value: object

    def __post_init__(self):
        if self.lookup not in FILTER_FIELDS.get(self.field, ()):
            raise FilterFieldError(f"Search cannot filter on {self.field}__{self.lookup}.")


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
    #: Count the matches only this far (the reader's page offers no more results than
    #: this): a common word's exact count grows with the archive. None: count them all.
    count_up_to: int | None = None


@dataclass(frozen=True)
class Candidate:
    """One matching article as a backend ranks it (higher relevance is better)."""

    article_id: int
    relevance: float
    #: From the index entry, for the recency boost (no second look-up in the articles).
    published_at: datetime | None = None


@dataclass
class SearchPage:
    article_ids: list[int]
    total: int
    terms: list[str] = field(default_factory=list)
    #: The last step search tried: "all" words, or a fallback step (jarida.search.query).
    stage: str = "all"
    #: The step that found each article of the page (relevance order only).
    found_by: dict[int, str] = field(default_factory=dict)
    #: The strict step found a page but none of it held the words in its title, so the
    #: variants step was tried too (`jarida.search.services.WIDENED`).
    widened: bool = False
    #: More than `total` match: counting stopped at the query's `count_up_to`.
    more: bool = False


@dataclass(frozen=True)
class EntryFields:
    """What an index entry carries besides its terms: the declared filter fields."""

    article_id: int
    status: str = ""
    section_id: int | None = None
    contributor_ids: tuple[int, ...] = ()
    published_at: datetime | None = None


@dataclass(frozen=True)
class IndexEntry:
    """An article's analysed text (space-separated index terms) and its filter fields."""

    article_id: int
    title_terms: str
    body_terms: str
    status: str = ""
    section_id: int | None = None
    contributor_ids: tuple[int, ...] = ()
    published_at: datetime | None = None

    @property
    def fields(self) -> EntryFields:
        return EntryFields(
            self.article_id, self.status, self.section_id, self.contributor_ids, self.published_at
        )


class SearchBackend:
    """Full-text index over analysed Arabic terms. Subclasses implement the storage.

    Queries arrive as a `jarida.search.query.Match` (slots of alternatives, all terms
    letters or digits) and a list of `Filter`s, all of which must hold.
    `uses_term_weights` asks search to fill `Match.weights` with each slot's IDF from the
    vocabulary, for engines whose ranking has none.
    """

    uses_term_weights = False

    # Writing.
    def index(self, entries: list[IndexEntry]) -> None:
        """Add or replace entries, terms and fields."""
        raise NotImplementedError

    def remove(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def terms_of(self, article_ids: list[int]) -> dict[int, set[str]]:
        """The distinct terms each indexed article holds now (for the vocabulary)."""
        raise NotImplementedError

    # Rebuilding beside the live index (`jarida.search.services.rebuild_index`).
    def start_rebuild(self) -> None:
        """Create an empty index beside the live one; `index_next` fills it."""
        raise NotImplementedError

    def index_next(self, entries: list[IndexEntry]) -> None:
        raise NotImplementedError

    def terms_of_next(self, article_ids: list[int]) -> dict[int, set[str]]:
        raise NotImplementedError

    def remove_next(self, article_ids: list[int]) -> None:
        raise NotImplementedError

    def orphans_next(self) -> list[int]:
        """Entries of the new index whose article was deleted since they were made."""
        raise NotImplementedError

    def finish_rebuild(self) -> None:
        """Whatever the new index needs before it goes live (built outside the swap)."""

    def prepare_swap(self) -> None:
        """First step of the swap's transaction, before the last catch-up."""

    def swap(self) -> None:
        """Make the index built beside the live one live, atomically; drop the old one."""
        raise NotImplementedError

    def after_swap(self) -> None:
        """Checks that may run once the new index is live (outside the swap)."""

    def abandon_rebuild(self) -> None:
        raise NotImplementedError

    # Reading.
    def count(self, match: "Match", filters: list[Filter], up_to: int | None = None) -> int:
        """How many entries passing the filters the match finds; at most `up_to` (the
        engine stops looking there) when it is given."""
        raise NotImplementedError

    def best(self, match: "Match", filters: list[Filter], limit: int) -> list[Candidate]:
        """The `limit` most relevant entries passing the filters that the match finds."""
        raise NotImplementedError

    def best_counted(
        self, match: "Match", filters: list[Filter], limit: int, up_to: int | None = None
    ) -> tuple[list[Candidate], int]:
        """`best`, and how many entries the match finds (as `count`): one query where
        the engine can tell both at once; a second only when the best fill `limit`."""
        found = self.best(match, filters, limit)
        return found, len(found) if len(found) < limit else self.count(match, filters, up_to)

    def newest(self, match: "Match", filters: list[Filter], limit: int, offset: int) -> list[int]:
        """Entries passing the filters that the match finds, newest first."""
        raise NotImplementedError

    def term_counts(self, article_ids: list[int], terms: list[str]) -> dict[int, "TermCounts"]:
        """How often each term occurs in each entry's title and body, and its number of
        distinct terms: what the shared ranking (`jarida.search.scoring`) needs.

        A backend that cannot tell returns {}: its own relevance order is kept."""
        return {}
