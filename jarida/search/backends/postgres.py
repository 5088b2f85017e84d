"""PostgreSQL full text over the same pre-analysed terms, with a GIN index.

The `simple` configuration only lower-cases and splits: the Arabic analysis has already
been done in Python, so PostgreSQL and SQLite match exactly the same articles.
Title terms carry weight A, body terms D; ranking is `ts_rank` (better than ts_rank_cd
for known-item search in the study in ../shared/notes) of each query word apart, times
the word's IDF from the vocabulary table: BM25's term weighting, which ts_rank lacks.
The entries' filter fields are columns of the same row (`contributor_ids` an array).
"""

from django.db import connection

from jarida.search.backends.base import Candidate, Filter, IndexEntry, SearchBackend
from jarida.search.query import Match
from jarida.search.scoring import TermCounts

TABLE = "search_document"
NEXT = "_next"  # the suffix of the table a rebuild fills beside the live one


def table_sql(suffix: str = "", foreign_key: bool = True) -> str:
    reference = " REFERENCES articles_article (id) ON DELETE CASCADE" if foreign_key else ""
    return f"""CREATE TABLE IF NOT EXISTS {TABLE}{suffix} (
        article_id bigint PRIMARY KEY{reference},
        vector tsvector NOT NULL,
        status varchar(16) NOT NULL DEFAULT '',
        section_id bigint,
        contributor_ids bigint[] NOT NULL DEFAULT '{{}}',
        published_at timestamptz
    )"""


#: The title's lexemes alone (weight A), as an expression: indexed on their own, so that
#: the stories holding a query's words in their title are found without reading every
#: match's vector (`best`).
TITLE_VECTOR = "ts_filter({}vector, '{{a}}')"


def gin_sql(suffix: str = "") -> list[str]:
    table = TABLE + suffix
    return [
        f"CREATE INDEX IF NOT EXISTS {table}_vector_gin ON {table} USING gin (vector)",
        f"CREATE INDEX IF NOT EXISTS {table}_title_gin ON {table} "
        f"USING gin (({TITLE_VECTOR.format('')}))",
    ]


CREATE_SQL = [table_sql(), *gin_sql()]
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
VECTOR_SQL = (
    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D')"
)


#: Matches ranked per query: the study in ../shared/notes found latency goes into
#: ranking every match; a bounded set keeps it in hand. The set is the newest matches
#: (the first a scan met would be the oldest, as an archive's rows lie on disk in the
#: order stories were published) and the newest of those holding the words in their
#: title (TITLE_FIRST: an old story whose title holds the words is not left out because
#: thousands of newer ones hold them in their bodies).
RANKED_AT_MOST = 2000
TITLE_FIRST = True


def _alternative(terms: tuple[str, ...], weight: str = "") -> str:
    quoted = " & ".join(f"'{term}'{weight}" for term in terms)
    return f"({quoted})" if len(terms) > 1 else quoted


def slot_tsquery(slot, weight: str = "") -> str:
    return "(" + " | ".join(_alternative(alt, weight) for alt in slot) + ")"


def tsquery(match: Match) -> str:
    """The match as to_tsquery text; terms are letters or digits, each quoted."""
    # Title terms carry weight A: ':A' restricts a term to the title.
    weight = ":A" if match.in_title else ""
    groups = [" & ".join(slot_tsquery(match.slots[i], weight) for i in g) for g in match.groups()]
    return " | ".join(f"({g})" for g in groups) if len(groups) > 1 else groups[0]


class PostgresBackend(SearchBackend):
    uses_term_weights = True

    def _write(self, entries: list[IndexEntry], suffix: str = "", replace: bool = True) -> None:
        on_conflict = (
            "DO UPDATE SET vector = EXCLUDED.vector, status = EXCLUDED.status, "
            "section_id = EXCLUDED.section_id, contributor_ids = EXCLUDED.contributor_ids, "
            "published_at = EXCLUDED.published_at"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE}{suffix} "
                "(article_id, vector, status, section_id, contributor_ids, published_at) "
                f"VALUES (%s, {VECTOR_SQL}, %s, %s, %s, %s) ON CONFLICT (article_id) {on_conflict}",
                [
                    (
                        e.article_id,
                        e.title_terms,
                        e.body_terms,
                        e.status,
                        e.section_id,
                        list(e.contributor_ids),
                        e.published_at,
                    )
                    for e in entries
                ],
            )

    def index(self, entries):
        self._write(entries)

    def remove(self, article_ids, suffix: str = ""):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE}{suffix} WHERE article_id = ANY(%s)", [list(article_ids)]
            )

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def terms_of(self, article_ids, suffix: str = ""):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, tsvector_to_array(vector) FROM {TABLE}{suffix} "
                "WHERE article_id = ANY(%s)",
                [list(article_ids)],
            )
            return {pk: set(terms) for pk, terms in cursor.fetchall()}

    # Rebuilding beside the live index.
    def start_rebuild(self):
        self.abandon_rebuild()
        with connection.cursor() as cursor:
            # No foreign key while filling: an article deleted meanwhile stays as an orphan
            # for the catch-up to find with its terms (a cascade would lose them from the
            # vocabulary). The GIN index comes after the fill: one build, not one a row.
            cursor.execute(table_sql(NEXT, foreign_key=False))

    def index_next(self, entries):
        self._write(entries, NEXT)

    def terms_of_next(self, article_ids):
        return self.terms_of(article_ids, NEXT)

    def remove_next(self, article_ids):
        self.remove(article_ids, NEXT)

    def orphans_next(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {TABLE}{NEXT} d WHERE NOT EXISTS "
                "(SELECT 1 FROM articles_article a WHERE a.id = d.article_id)"
            )
            return [row[0] for row in cursor.fetchall()]

    def finish_rebuild(self):
        with connection.cursor() as cursor:
            for statement in gin_sql(NEXT):
                cursor.execute(statement)
            cursor.execute(f"ANALYZE {TABLE}{NEXT}")

    def prepare_swap(self):
        # From here on deletes cascade into the new table. NOT VALID: no scan of the rows
        # (the caller removes orphans next, in the same transaction).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute(
                f"ALTER TABLE {TABLE}{NEXT} ADD CONSTRAINT {TABLE}{NEXT}_article_id_fkey "
                "FOREIGN KEY (article_id) REFERENCES articles_article (id) ON DELETE CASCADE "
                "NOT VALID"
            )

    def swap(self):
        # Inside the caller's transaction. DROP waits for running searches (milliseconds);
        # a lock_timeout keeps a stuck reader from holding the newsroom's saves behind it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            cursor.execute(f"DROP TABLE {TABLE}")
            cursor.execute(f"ALTER TABLE {TABLE}{NEXT} RENAME TO {TABLE}")
            cursor.execute(f"ALTER INDEX {TABLE}{NEXT}_pkey RENAME TO {TABLE}_pkey")
            cursor.execute(f"ALTER INDEX {TABLE}{NEXT}_vector_gin RENAME TO {TABLE}_vector_gin")
            cursor.execute(f"ALTER INDEX {TABLE}{NEXT}_title_gin RENAME TO {TABLE}_title_gin")
            cursor.execute(
                f"ALTER TABLE {TABLE} RENAME CONSTRAINT {TABLE}{NEXT}_article_id_fkey "
                f"TO {TABLE}_article_id_fkey"
            )

    def after_swap(self):
        # Checks the existing rows under a lock that lets reads and writes go on.
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {TABLE}_article_id_fkey")

    def abandon_rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}{NEXT}")

    # Reading.
    def _where(self, match: Match, filters: list[Filter], title: bool = False) -> tuple[str, list]:
        # `title`: the match against the title's lexemes alone (their own GIN index).
        vector = TITLE_VECTOR.format("d.") if title else "d.vector"
        clauses, params = [f"{vector} @@ to_tsquery('simple', %s)"], [tsquery(match)]
        for f in filters:
            sql, values = self._process_lookup(f)
            clauses.append(sql)
            params.extend(values)
        return " AND ".join(clauses), params

    @staticmethod
    def _process_lookup(f: Filter) -> tuple[str, list]:
        if f.field == "article":
            return "d.article_id = ANY(%s)", [[int(pk) for pk in f.value]]
        if f.field == "contributor":
            return "%s = ANY(d.contributor_ids)", [int(f.value)]
        if f.field == "published_at":
            operator = {"gte": ">=", "lt": "<", "lte": "<="}[f.lookup]
            return f"d.published_at {operator} %s", [f.value]
        column = {"status": "d.status", "section": "d.section_id"}[f.field]
        return f"{column} = %s", [f.value]

    def count(self, match, filters, up_to=None):
        where, params = self._where(match, filters)
        sql = f"SELECT 1 FROM {TABLE} d WHERE {where}"
        if up_to is not None:
            sql, params = f"{sql} LIMIT %s", [*params, up_to]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql}) found", params)
            return cursor.fetchone()[0]

    def best(self, match, filters, limit):
        return self.best_counted(match, filters, limit)[0]

    def best_counted(self, match, filters, limit, up_to=None):
        # One visit of the matches' rows for both: the newest are sorted out of all of
        # them anyway, and the count rides along (`count(*) OVER ()`, before the LIMIT).
        # Exact whatever `up_to` is (the API's total is every match).
        where, params = self._where(match, filters)
        weights = match.weights or (1.0,) * len(match.slots)
        # BM25's IDF, which ts_rank lacks: each slot ranked alone, weighted by its IDF.
        rank = " + ".join("%s * ts_rank(vector, to_tsquery('simple', %s))" for _ in match.slots)
        rank_params = [
            p for slot, w in zip(match.slots, weights, strict=True) for p in (w, slot_tsquery(slot))
        ]
        newest = "ORDER BY d.published_at DESC NULLS LAST, d.article_id DESC LIMIT %s"
        # The newest matches, and (unless the match is the title's already) the newest of
        # those holding it in their title; ids and dates only are sorted, the chosen
        # entries' vectors are then read by key and ranked.
        ctes = (
            "newest AS MATERIALIZED (SELECT d.article_id, count(*) OVER () AS total "
            f"FROM {TABLE} d WHERE {where} {newest})"
        )
        found = "SELECT article_id FROM newest"
        found_params = [*params, RANKED_AT_MOST]
        if TITLE_FIRST and not match.in_title:
            titled, titled_params = self._where(match, filters, title=True)
            ctes += f", titled AS MATERIALIZED (SELECT d.article_id FROM {TABLE} d "
            ctes += f"WHERE {titled} {newest})"
            found += " UNION SELECT article_id FROM titled"
            found_params += [*titled_params, RANKED_AT_MOST]
        sql = (
            f"WITH {ctes}, found AS ({found}) "
            f"SELECT d.article_id, {rank} AS rank, d.published_at, "
            "(SELECT max(total) FROM newest) "
            f"FROM found JOIN {TABLE} d USING (article_id) "
            "ORDER BY rank DESC, d.article_id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*found_params, *rank_params, limit])
            rows = cursor.fetchall()
        total = rows[0][3] if rows else 0
        return [Candidate(pk, rank, at) for pk, rank, at, _ in rows], total

    def newest(self, match, filters, limit, offset):
        where, params = self._where(match, filters)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {TABLE} d WHERE {where} "
                "ORDER BY d.published_at DESC, d.article_id DESC LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def term_counts(self, article_ids, terms):
        if not article_ids:
            return {}
        # A lexeme's positions carry the field's weight: A for the title, D for the body.
        # length() is the number of distinct lexemes, as the vocabulary counts them.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.article_id, length(d.vector), u.lexeme, u.weights, "
                f"tsvector_to_array({TITLE_VECTOR.format('d.')}) FROM {TABLE} d "
                "LEFT JOIN LATERAL unnest(d.vector) u ON u.lexeme = ANY(%s) "
                "WHERE d.article_id = ANY(%s)",
                [list(set(terms)), list(article_ids)],
            )
            rows = cursor.fetchall()
        counts: dict[int, TermCounts] = {}
        for pk, length, lexeme, marks, title in rows:
            entry = counts.get(pk) or counts.setdefault(
                pk, TermCounts(length=length, title_terms=frozenset(title))
            )
            for weight, field in (("A", entry.title), ("D", entry.body)):
                if lexeme is not None and (found := marks.count(weight)):
                    field[lexeme] = found
        return counts
