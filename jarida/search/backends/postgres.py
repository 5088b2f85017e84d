"""PostgreSQL full text over the same pre-analysed terms, with a GIN index.

The `simple` configuration only lower-cases and splits: the Arabic analysis has already
been done in Python, so PostgreSQL and SQLite match exactly the same articles.
Title terms carry weight A, body terms D; ranking is `ts_rank` (better than ts_rank_cd
for known-item search in the study in ../shared/notes).
"""

from django.db import connection

from jarida.search.backends.base import Candidate, IndexEntry, SearchBackend, allowed_clause

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


class PostgresBackend(SearchBackend):
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

    def _matching(self, terms, allowed):
        exists, params = allowed_clause(allowed, "d.article_id")
        # plainto_tsquery ANDs the terms and ignores any operator characters.
        where = f"d.vector @@ plainto_tsquery('simple', %s) AND {exists}"
        return where, [" ".join(terms), *params]

    def count(self, terms, allowed):
        where, params = self._matching(terms, allowed)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} d WHERE {where}", params)
            return cursor.fetchone()[0]

    def best(self, terms, allowed, limit):
        where, params = self._matching(terms, allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.article_id, ts_rank(d.vector, plainto_tsquery('simple', %s)) AS rank "
                f"FROM {TABLE} d WHERE {where} ORDER BY rank DESC, d.article_id DESC LIMIT %s",
                [" ".join(terms), *params, limit],
            )
            return [Candidate(pk, rank) for pk, rank in cursor.fetchall()]

    def newest(self, terms, allowed, limit, offset):
        where, params = self._matching(terms, allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {TABLE} d "
                f"JOIN articles_article a ON a.id = d.article_id WHERE {where} "
                "ORDER BY a.published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
