"""SQLite FTS5 over pre-analysed terms, ranked with bm25 (title weighs more than body).

FTS5's own tokenizers are not used for Arabic (unicode61 splits at harakat and keeps
tatweel and hamza); the table stores terms made by jarida.search.analysis, so the
tokenizer only splits on the spaces between them.
"""

from django.db import connection

from jarida.search.backends.base import Candidate, IndexEntry, SearchBackend, allowed_clause
from jarida.search.query import Match

TABLE = "search_fts"
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0


def _alternative(terms: tuple[str, ...]) -> str:
    quoted = " AND ".join(f'"{term}"' for term in terms)
    return f"({quoted})" if len(terms) > 1 else quoted


def match_expression(match: Match) -> str:
    """The match in FTS5 syntax, each term quoted: syntax characters cannot reach the parser."""
    slots = []
    for slot in match.slots:
        alternatives = " OR ".join(_alternative(alt) for alt in slot)
        slots.append(f"({alternatives})" if len(slot) > 1 else alternatives)
    return (" OR " if match.any_slot else " AND ").join(slots)


class SQLiteFTS5Backend(SearchBackend):
    def index(self, entries: list[IndexEntry]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s", [(e.article_id,) for e in entries]
            )
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [(e.article_id, e.title_terms, e.body_terms) for e in entries],
            )

    def remove(self, article_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in article_ids]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def orphan_ids(self, limit):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} "
                "WHERE rowid NOT IN (SELECT id FROM articles_article) LIMIT %s",
                [limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def terms_of(self, article_ids):
        if not article_ids:
            return {}
        marks = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, title, body FROM {TABLE} WHERE rowid IN ({marks})", article_ids
            )
            return {pk: set(f"{title} {body}".split()) for pk, title, body in cursor.fetchall()}

    def _matching(self, allowed):
        exists, params = allowed_clause(allowed, f"{TABLE}.rowid")
        return f"{TABLE} MATCH %s AND {exists}", params

    def count(self, match, allowed):
        where, params = self._matching(allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {TABLE} WHERE {where}",
                [match_expression(match), *params],
            )
            return cursor.fetchone()[0]

    def best(self, match, allowed, limit):
        where, params = self._matching(allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS rank "
                f"FROM {TABLE} WHERE {where} ORDER BY rank LIMIT %s",
                [match_expression(match), *params, limit],
            )
            # bm25() is lower-is-better; the contract is higher-is-better.
            return [Candidate(pk, -rank) for pk, rank in cursor.fetchall()]

    def newest(self, match, allowed, limit, offset):
        where, params = self._matching(allowed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {TABLE}.rowid FROM {TABLE} "
                f"JOIN articles_article a ON a.id = {TABLE}.rowid WHERE {where} "
                "ORDER BY a.published_at DESC, a.id DESC LIMIT %s OFFSET %s",
                [match_expression(match), *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
