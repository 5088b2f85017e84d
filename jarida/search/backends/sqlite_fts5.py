"""SQLite FTS5 over pre-analysed terms, ranked with bm25 (title weighs more than body).

FTS5's own tokenizers are not used for Arabic (unicode61 splits at harakat and keeps
tatweel and hamza); the table stores terms made by jarida.search.analysis, so the
tokenizer only splits on the spaces between them. The entries' filter fields live in a
plain table beside it, `search_entry`, keyed by the same rowid (an FTS5 table cannot be
altered, and a plain table is read by primary key for each match).
"""

from collections import Counter
from datetime import UTC, datetime

from django.db import connection

from jarida.search.backends.base import (
    Candidate,
    EntryFields,
    Filter,
    IndexEntry,
    SearchBackend,
)
from jarida.search.query import Match
from jarida.search.scoring import BODY_WEIGHT, TITLE_WEIGHT, TermCounts

TABLE = "search_fts"
ENTRY_TABLE = "search_entry"
NEXT = "_next"  # the suffix of the tables a rebuild fills beside the live ones


def create_sql(suffix: str = "") -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE}{suffix} USING fts5("
        "title, body, tokenize = 'unicode61 remove_diacritics 0')",
        f"""CREATE TABLE IF NOT EXISTS {ENTRY_TABLE}{suffix} (
            article_id INTEGER PRIMARY KEY,
            status TEXT NOT NULL DEFAULT '',
            section_id INTEGER,
            contributor_ids TEXT NOT NULL DEFAULT ',',
            published_at TEXT
        )""",
    ]


CREATE_SQL = create_sql()[0]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"


def _alternative(terms: tuple[str, ...]) -> str:
    quoted = " AND ".join(f'"{term}"' for term in terms)
    return f"({quoted})" if len(terms) > 1 else quoted


def match_expression(match: Match) -> str:
    """The match in FTS5 syntax, each term quoted: syntax characters cannot reach the parser."""
    slots = []
    for slot in match.slots:
        alternatives = " OR ".join(_alternative(alt) for alt in slot)
        slots.append(f"({alternatives})" if len(slot) > 1 else alternatives)
    groups = [" AND ".join(slots[i] for i in group) for group in match.groups()]
    expression = " OR ".join(f"({g})" for g in groups) if len(groups) > 1 else groups[0]
    # A column filter applies to the whole parenthesised expression.
    return f"title : ({expression})" if match.in_title else expression


def _datetime(value: datetime | None) -> str | None:
    # As Django stores DateTimeFields in SQLite (UTC, text): comparable as strings.
    return connection.ops.adapt_datetimefield_value(value) if value else None


def _contributors(ids) -> str:
    return "," + "".join(f"{pk}," for pk in ids)


def _parsed(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if text else None


class SQLiteFTS5Backend(SearchBackend):
    def _write(self, entries: list[IndexEntry], suffix: str = "") -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {TABLE}{suffix} WHERE rowid = %s", [(e.article_id,) for e in entries]
            )
            cursor.executemany(
                f"INSERT INTO {TABLE}{suffix} (rowid, title, body) VALUES (%s, %s, %s)",
                [(e.article_id, e.title_terms, e.body_terms) for e in entries],
            )
        self._write_fields([e.fields for e in entries], suffix)

    def _write_fields(self, fields: list[EntryFields], suffix: str = "") -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRY_TABLE}{suffix} "
                "(article_id, status, section_id, contributor_ids, published_at) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                "status = excluded.status, section_id = excluded.section_id, "
                "contributor_ids = excluded.contributor_ids, published_at = excluded.published_at",
                [
                    (
                        f.article_id,
                        f.status,
                        f.section_id,
                        _contributors(f.contributor_ids),
                        _datetime(f.published_at),
                    )
                    for f in fields
                ],
            )

    def index(self, entries):
        self._write(entries)

    def remove(self, article_ids, suffix: str = ""):
        with connection.cursor() as cursor:
            rows = [(pk,) for pk in article_ids]
            cursor.executemany(f"DELETE FROM {TABLE}{suffix} WHERE rowid = %s", rows)
            cursor.executemany(f"DELETE FROM {ENTRY_TABLE}{suffix} WHERE article_id = %s", rows)

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {ENTRY_TABLE}")

    def terms_of(self, article_ids, suffix: str = ""):
        if not article_ids:
            return {}
        marks = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, title, body FROM {TABLE}{suffix} WHERE rowid IN ({marks})",
                list(article_ids),
            )
            return {pk: set(f"{title} {body}".split()) for pk, title, body in cursor.fetchall()}

    # Rebuilding beside the live index.
    def start_rebuild(self):
        self.abandon_rebuild()
        with connection.cursor() as cursor:
            for statement in create_sql(NEXT):
                cursor.execute(statement)

    def index_next(self, entries):
        self._write(entries, NEXT)

    def orphans_next(self) -> list[int]:
        """Entries of the new index whose article has been deleted since they were made."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id FROM {ENTRY_TABLE}{NEXT} WHERE article_id NOT IN "
                "(SELECT id FROM articles_article)"
            )
            return [row[0] for row in cursor.fetchall()]

    def terms_of_next(self, article_ids):
        return self.terms_of(article_ids, NEXT)

    def remove_next(self, article_ids):
        self.remove(article_ids, NEXT)

    def swap(self):
        # Inside the caller's transaction: readers see the old tables or the new, never none.
        with connection.cursor() as cursor:
            for table in (TABLE, ENTRY_TABLE):
                cursor.execute(f"DROP TABLE {table}")
                cursor.execute(f"ALTER TABLE {table}{NEXT} RENAME TO {table}")

    def abandon_rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}{NEXT}")
            cursor.execute(f"DROP TABLE IF EXISTS {ENTRY_TABLE}{NEXT}")

    # Reading.
    def _where(self, filters: list[Filter]) -> tuple[str, list]:
        clauses, params = [f"{TABLE} MATCH %s"], []
        for f in filters:
            sql, values = self._process_lookup(f)
            clauses.append(sql)
            params.extend(values)
        return " AND ".join(clauses), params

    @staticmethod
    def _process_lookup(f: Filter) -> tuple[str, list]:
        if f.field == "article":
            ids = [int(pk) for pk in f.value]
            if not ids:
                return "0", []
            return f"e.article_id IN ({', '.join(['%s'] * len(ids))})", ids
        if f.field == "contributor":
            return "instr(e.contributor_ids, %s) > 0", [f",{int(f.value)},"]
        if f.field == "published_at":
            operator = {"gte": ">=", "lt": "<", "lte": "<="}[f.lookup]
            return f"e.published_at {operator} %s", [_datetime(f.value)]
        column = {"status": "e.status", "section": "e.section_id"}[f.field]
        return f"{column} = %s", [f.value]

    def _from(self) -> str:
        return f"{TABLE} JOIN {ENTRY_TABLE} e ON e.article_id = {TABLE}.rowid"

    def count(self, match, filters, up_to=None):
        where, params = self._where(filters)
        sql, params = (
            f"SELECT 1 FROM {self._from()} WHERE {where}",
            [match_expression(match), *params],
        )
        if up_to is not None:
            sql, params = f"{sql} LIMIT ?", [*params, up_to]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql})", params)
            return cursor.fetchone()[0]

    def best(self, match, filters, limit):
        where, params = self._where(filters)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {TABLE}.rowid, bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS rank, "
                f"e.published_at FROM {self._from()} WHERE {where} ORDER BY rank LIMIT %s",
                [match_expression(match), *params, limit],
            )
            # bm25() is lower-is-better; the contract is higher-is-better.
            return [Candidate(pk, -rank, _parsed(at)) for pk, rank, at in cursor.fetchall()]

    def newest(self, match, filters, limit, offset):
        where, params = self._where(filters)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {TABLE}.rowid FROM {self._from()} WHERE {where} "
                f"ORDER BY e.published_at DESC, {TABLE}.rowid DESC LIMIT %s OFFSET %s",
                [match_expression(match), *params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def term_counts(self, article_ids, terms):
        if not article_ids:
            return {}
        wanted = set(terms)
        marks = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, title, body FROM {TABLE} WHERE rowid IN ({marks})",
                list(article_ids),
            )
            rows = cursor.fetchall()
        counts = {}
        for pk, title, body in rows:
            # Counter counts in C, in one pass, however many alternatives the query has.
            in_title, in_body = Counter(title.split()), Counter(body.split())
            counts[pk] = TermCounts(
                {t: in_title[t] for t in wanted if t in in_title},
                {t: in_body[t] for t in wanted if t in in_body},
                len(in_body) + sum(1 for t in in_title if t not in in_body),
                frozenset(in_title),
            )
        return counts
