"""PostgreSQL full text over the same pre-analysed terms, with a GIN index.

The `simple` configuration only lower-cases and splits: the Arabic analysis has already
been done in Python, so PostgreSQL and SQLite match exactly the same articles.
Title terms carry weight A, body terms D; ranking is `ts_rank` (better than ts_rank_cd
for known-item search in the study in ../shared/notes) of each query word apart, times
the word's IDF from the vocabulary table: BM25's term weighting, which ts_rank lacks.
"""

from django.db import connection

from jarida.search.backends.base import Candidate, IndexEntry, SearchBackend, allowed_clause
from jarida.search.query import Match

TABLE = "search_document"
CREATE_SQL = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        article_id bigint PRIMARY KEY REFERENCES articles_article (id) ON DELETE CASCADE,
        vector tsvector NOT NULL
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_vector_gin ON {TABLE} USING gin (vector)",
]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D')"
)


#: Matches ranked per query: the study in ../shared/notes found latency goes into
#: ranking every match; a MATERIALIZED CTE of a bounded set keeps it in hand.
RANKED_AT_MOST = 2000


def _alternative(terms: tuple[str, ...]) -> str:
    quoted = " & ".join(f"'{term}'" for term in terms)
    return f"({quoted})" if len(terms) > 1 else quoted


def slot_tsquery(slot) -> str:
    return "(" + " | ".join(_alternative(alt) for alt in slot) + ")"


def tsquery(match: Match) -> str:
    """The match as to_tsquery text; terms are letters or digits, each quoted."""
    return (" | " if match.any_slot else " & ").join(slot_tsquery(s) for s in match.slots)


class PostgresBackend(SearchBackend):
    uses_term_weights = True

    def index(self, entries: list[IndexEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (article_id, vector) VALUES (%s, {VECTOR_SQL}) "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector",
                [(e.article_id, e.title_terms, e.body_terms) for e in entries],
            )

    def remove(self, article_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE article_id = ANY(%s)", [article_ids])

    def clear(self) -> None:
        # DELETE, not TRUNCATE: inside the rebuild's transaction, readers keep searching
        # the old index until the new one commits.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def orphan_ids(self, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {TABLE} "
                "WHERE article_id NOT IN (SELECT id FROM articles_article) LIMIT %s",
                [limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def terms_of(self, article_ids):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, tsvector_to_array(vector) FROM {TABLE} "
                "WHERE article_id = ANY(%s)",
                [list(article_ids)],
            )
            return {pk: set(terms) for pk, terms in cursor.fetchall()}

    def _matching(self, match, allowed):
        exists, params = allowed_clause(allowed, "d.article_id")
        where = f"d.vector @@ to_tsquery('simple', %s) AND {exists}"
        return where, [tsquery(match), *params]

    def count(self, match, allowed):
        where, params = self._matching(match, allowed)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} d WHERE {where}", params)
            return cursor.fetchone()[0]

    def best(self, match, allowed, limit):
        where, params = self._matching(match, allowed)
        weights = match.weights or (1.0,) * len(match.slots)
        # BM25's IDF, which ts_rank lacks: each slot ranked alone, weighted by its IDF.
        rank = " + ".join("%s * ts_rank(vector, to_tsquery('simple', %s))" for _ in match.slots)
        rank_params = [
            p for slot, w in zip(match.slots, weights, strict=True) for p in (w, slot_tsquery(slot))
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH found AS MATERIALIZED (SELECT d.article_id, d.vector FROM {TABLE} d "
                f"WHERE {where} LIMIT %s) "
                f"SELECT article_id, {rank} AS rank FROM found "
                "ORDER BY rank DESC, article_id DESC LIMIT %s",
                [*params, RANKED_AT_MOST, *rank_params, limit],
            )
            return [Candidate(pk, rank) for pk, rank in cursor.fetchall()]

    def newest(self, match, allowed, limit, offset):
        where, params = self._matching(match, allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {TABLE} d "
                f"JOIN articles_article a ON a.id = d.article_id WHERE {where} "
                "ORDER BY a.published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
