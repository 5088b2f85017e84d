"""The index's own vocabulary: each term's document frequency and its spelling skeleton.

One table, `search_term`, the same on every backend, serves three needs:
- ranking: document frequencies give PostgreSQL the IDF that `ts_rank` lacks;
- clitic segmentation: a query word is split (بمدرسة → مدرسة) only when the rest is a
  word the archive actually contains;
- spelling variants: terms with the same skeleton (long vowels unwritten, doubled letters
  single, the letters foreign sounds are spelt with folded) are a word's candidate
  variants (كمبيوتر/كومبيوتر, بوينغ/بوينج, مشروع/مشاريع).

The row with the empty term counts the indexed documents (N). Frequencies are updated
after the article's transaction commits, in a short transaction of their own with the
rows in sorted order, so that concurrent saves never wait on each other's term rows.
"""

import math
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction

TABLE = "search_term"
NEXT = "_next"  # the table a rebuild fills beside the live one


def create_sql(suffix: str = "", index_name: str = "") -> list[str]:
    index_name = index_name or f"{TABLE}{suffix}_skeleton"
    return [
        f"""CREATE TABLE IF NOT EXISTS {TABLE}{suffix} (
            term varchar(200) PRIMARY KEY,
            skeleton varchar(200) NOT NULL,
            df integer NOT NULL
        )""",
        f"CREATE INDEX IF NOT EXISTS {index_name} ON {TABLE}{suffix} (skeleton)",
    ]


CREATE_SQL = create_sql()
DROP_SQL = f"DROP TABLE IF EXISTS {TABLE}"
DOCUMENTS = ""  # the term whose df is the number of indexed documents
#: The term whose df is the sum of every document's number of distinct terms (a space:
#: never a term), so that the shared ranking knows the mean length of an entry.
LENGTHS = " "

# Arabic spellings of foreign sounds (the conventions of Arabic transliteration of names,
# not a list of words): g is written ج, غ, ق or ك; v ف or ڤ; p ب or پ; ch ش or تش; t and
# s of foreign names ت/ط and س/ص; z ز/ذ/ظ; d د/ض. Each class folds to one letter.
_LETTER_CLASSES = str.maketrans(
    {
        "غ": "ج",
        "ق": "ج",
        "ك": "ج",
        "گ": "ج",
        "چ": "ج",
        "ڤ": "ف",
        "پ": "ب",
        "ط": "ت",
        "ص": "س",
        "ث": "س",
        "ض": "د",
        "ذ": "ز",
        "ظ": "ز",
    }
)
_DOUBLED = re.compile(r"(.)\1+")
_LONG_VOWELS = re.compile("[اوي]")


@lru_cache(maxsize=200_000)
def skeleton(term: str) -> str:
    """The term with long vowels unwritten, doubled letters single, sound classes folded."""
    if not term or term.isascii() or not term[0].isalpha():
        return term
    folded = term.replace("تش", "ش").translate(_LETTER_CLASSES)
    # The first letter stays even when it is a vowel letter: ا/و/ي there carries the word.
    return _DOUBLED.sub(r"\1", folded[0] + _LONG_VOWELS.sub("", folded[1:]))


def frequencies(terms: Iterable[str]) -> dict[str, int]:
    """Document frequency of each term the index holds (absent terms are left out)."""
    terms = sorted(set(terms))
    if not terms:
        return {}
    marks = ", ".join(["%s"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, df FROM {TABLE} WHERE term IN ({marks})", terms)
        return dict(cursor.fetchall())


def same_skeleton(terms: Iterable[str], per_term: int = 40) -> dict[str, list[tuple[str, int]]]:
    """skeleton → [(term, df), ...] of indexed terms, most frequent first."""
    skeletons = sorted({skeleton(t) for t in terms} - {""})
    if not skeletons:
        return {}
    marks = ", ".join(["%s"] * len(skeletons))
    found: dict[str, list[tuple[str, int]]] = {s: [] for s in skeletons}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT skeleton, term, df FROM {TABLE} WHERE skeleton IN ({marks}) "
            "ORDER BY df DESC, term",
            skeletons,
        )
        for key, term, df in cursor.fetchall():
            if len(found[key]) < per_term:
                found[key].append((term, df))
    return found


def document_count() -> int:
    return frequencies([DOCUMENTS]).get(DOCUMENTS, 0)


def mean_length(lengths: int, documents: int) -> float:
    """The mean number of distinct terms an entry holds (1 when nothing is indexed)."""
    return lengths / documents if lengths > 0 and documents > 0 else 1.0


def idf(df: int, documents: int) -> float:
    """BM25's inverse document frequency (never negative)."""
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


def rows(delta: Counter) -> list[tuple[str, str, int]]:
    """(term, skeleton, change) of each changed term, in the order `apply` writes them."""
    return sorted((term, skeleton(term), change) for term, change in delta.items() if change)


def apply(delta: Counter | list[tuple[str, str, int]], suffix: str = "") -> None:
    """Add each term's change in document frequency (the empty term: documents).

    `delta` may come as its `rows` already (a bulk import's worker makes them ahead);
    `suffix` names the index being rebuilt beside the live one."""
    table = TABLE + suffix
    rows_ = rows(delta) if isinstance(delta, Counter) else delta
    if not rows_:
        return
    upsert = f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement for the batch (a bulk import's has some 20,000 terms): a
            # statement a row cost the server a third of an import's time. Terms are
            # distinct and sorted, so one statement never meets a row twice and two
            # writers lock rows in the same order.
            terms, skeletons, changes = zip(*rows_, strict=True)
            cursor.execute(
                f"INSERT INTO {table} (term, skeleton, df) "
                f"SELECT * FROM unnest(%s::text[], %s::text[], %s::int[]) {upsert}",
                [list(terms), list(skeletons), list(changes)],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} (term, skeleton, df) VALUES (%s, %s, %s) {upsert}",
                rows_,
            )
        if any(change < 0 for _, _, change in rows_):
            cursor.execute(
                f"DELETE FROM {table} WHERE df <= 0 AND term NOT IN (%s, %s)", [DOCUMENTS, LENGTHS]
            )


def clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def start_rebuild() -> None:
    abandon_rebuild()
    # SQLite cannot rename an index and its names are per schema: the new table's index
    # gets a name of its own, which it keeps once the table is renamed.
    name = "" if connection.vendor == "postgresql" else f"{TABLE}_skeleton_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        for statement in create_sql(NEXT, name):
            cursor.execute(statement)


def swap() -> None:
    """The rebuilt vocabulary goes live (inside the caller's transaction, with the index)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE}{NEXT} RENAME TO {TABLE}")
        # Index names are per schema on PostgreSQL: the new one takes the old name.
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER INDEX {TABLE}{NEXT}_pkey RENAME TO {TABLE}_pkey")
            cursor.execute(f"ALTER INDEX {TABLE}{NEXT}_skeleton RENAME TO {TABLE}_skeleton")


def abandon_rebuild() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}{NEXT}")


def delta(old: dict[int, set[str]], new: dict[int, set[str]]) -> Counter:
    """The change in document frequencies when documents `old` become `new`."""
    change = Counter()
    for terms in new.values():
        change.update(terms)
    change[DOCUMENTS] += len(new)
    change[LENGTHS] += sum(len(terms) for terms in new.values())
    for terms in old.values():
        change.subtract(terms)
    change[DOCUMENTS] -= len(old)
    change[LENGTHS] -= sum(len(terms) for terms in old.values())
    return change
