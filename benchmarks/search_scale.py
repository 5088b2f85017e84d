"""Search at 300,000 and 1,000,000 articles on PostgreSQL: a synthetic archive, recall, latency.

    createdb -h 127.0.0.1 -U postgres jarida_search_300k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jarida_search_300k \\
        nice .venv/bin/python benchmarks/search_scale.py --size 300000

The 29,549 SaudiNewsNet originals are loaded and indexed through the product's own code
(`rebuild_index`: beside the live index, then the swap; its time is printed), so the
held-out queries keep their targets. The synthetic articles are then added until the
archive holds `--size` articles, written with COPY:

- no near-copies: a synthetic article's body is 6-12 sentences, each from a different
  original story (never two from one), with every number changed; its title is the
  opening 5-10 words of its own first sentence, as a headline restates its lead. The
  study in ../shared/notes recombined whole paragraphs, putting each into about nine
  articles, so that the originals' own text competed with copies of itself; titles
  made of two originals' half-titles (this script's first version) put each half of
  every original title into some 33 titles at 1,000,000, so that a query of three words
  from one half met 33 exact copies of its target's title words.
- bodies analysed once per sentence by `jarida.search.analysis.analyze` (a word's terms
  do not depend on its neighbours beyond the sentence), so a synthetic entry costs
  little Python analysis; PostgreSQL builds the tsvectors, then the GIN index.
- dates spread over ten years, August 2010 to August 2020, so that the originals (July
  and August 2015) lie in the middle and half the archive is newer than any target (a
  search that ranks the newest matches first cannot favour them); published; the
  vocabulary (`search_term`) recounted from the index with `ts_stat`.

Then both query sets (dev and held-out halves) run through `services.search`; the
per-kind tables, how often each fallback step fires and latency are printed
(`--held-out-only`: the held-out halves only; `--without RULE` as in
search_backends.py; `--in-date-order`: the index rewritten in publication order first, as
a real archive lies on disk; `--recentre`: an archive built with the first version's
dates moved to this one's). `--finish` indexes what an interrupted run
had copied (the chunks are committed as they go) and measures.
"""

import io
import os
import pickle
import random
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ.setdefault("JARIDA_DATA_DIR", tempfile.mkdtemp(prefix="jarida-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "jarida.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from search_backends import load, switch_off  # noqa: E402
from search_testset import CORPUS, build_testset, load_corpus, score_table, split  # noqa: E402
from search_testset_natural import build_natural_testset  # noqa: E402

from jarida.articles.models import Article, Section  # noqa: E402
from jarida.search import services, vocabulary  # noqa: E402
from jarida.search.analysis import analyze  # noqa: E402
from jarida.search.backends.base import SearchQuery  # noqa: E402
from jarida.search.backends.postgres import RANKED_AT_MOST, gin_sql  # noqa: E402
from jarida.search.query import STEPS  # noqa: E402

SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]?")
DIGITS = re.compile(r"\d+")
START = datetime(2010, 8, 1, tzinfo=UTC)
#: Where this script's first version started the span (`--recentre` moves an archive
#: built by it).
FIRST_START = datetime(2007, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3650


def sentences_of(articles, rng):
    """(original index, text, terms) of every sentence of five words or more."""
    out = []
    for i, a in enumerate(articles):
        for raw in SENTENCE.findall(a["content"]):
            text = raw.strip()
            if len(text.split()) >= 5:
                out.append((i, text, analyze(text)))
    return out


def renumber(text: str, rng) -> str:
    return DIGITS.sub(lambda m: str(rng.randrange(10 ** len(m.group()))), text)


def synthetic(count, articles, sentences, rng):
    """Yield (title, body html, title terms, body terms, published_at) for `count` articles."""
    by_article: dict[int, list[int]] = {}
    for n, (i, _, _) in enumerate(sentences):
        by_article.setdefault(i, []).append(n)
    originals = list(by_article)
    for _ in range(count):
        picked = []
        for i in rng.sample(originals, rng.randint(6, 12)):  # distinct stories
            picked.append(sentences[rng.choice(by_article[i])])
        body_text, body_terms = [], []
        for _, text, terms in picked:
            body_text.append(renumber(text, rng))
            body_terms.extend(str(rng.randrange(10 ** len(t))) if t.isdigit() else t for t in terms)
        title = " ".join(body_text[0].split()[: rng.randint(5, 10)]).rstrip(".!؟?،,:")
        title_terms = analyze(title)
        published = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        yield (
            title[:300],
            "".join(f"<p>{s}</p>" for s in body_text),
            " ".join(title_terms),
            " ".join(body_terms),
            published,
        )


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _copy(cursor, sql: str, lines: list[str]) -> None:
    # The whole chunk is made first, then sent at once: a backend inside COPY FROM STDIN
    # does not answer the ProcSignalBarrier that DROP DATABASE waits for, so a COPY left
    # open while Python works would hold every DROP DATABASE on the server.
    data = "".join(lines).encode()
    with cursor.cursor.copy(sql) as copy:
        copy.write(data)


def analysed_corpus(articles, rng):
    cache = Path(tempfile.gettempdir()) / f"jarida-scale-sentences-v2-{len(articles)}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    made = sentences_of(articles, rng)
    cache.write_bytes(pickle.dumps(made))
    return made


CHUNK = 10_000


def copy_synthetic(count, articles, section_id, rng):
    """COPY `count` synthetic articles and their index rows; return seconds per phase."""
    timings = {}
    started = time.perf_counter()
    sentences = analysed_corpus(articles, rng)
    timings["analyse sentences"] = time.perf_counter() - started
    template = Article(section_id=section_id, status=Article.Status.PUBLISHED, title="", slug="x")
    now = datetime.now(UTC)
    template.created_at = template.updated_at = now
    fields = [f for f in Article._meta.concrete_fields if f.column != "id"]
    columns = ["id", *[f.column for f in fields]]
    base = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields}
    varying = {"title", "slug", "body", "published_at", "external_id"}
    before = [c for c in columns[1:]]
    fixed = {c: _copy_value(base[c]) for c in before if c not in varying}
    copy_articles = f"COPY articles_article ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_article")
        next_id = cursor.fetchone()[0] + 1
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS bench_terms "
            "(article_id bigint, title text, body text, published_at timestamptz)"
        )
        cursor.execute("TRUNCATE bench_terms")
        started = time.perf_counter()
        art_lines, term_lines = [], []
        for n, (title, body, tt, bt, published) in enumerate(
            synthetic(count, articles, sentences, rng)
        ):
            pk = next_id + n
            row = fixed | {
                "title": _copy_value(title),
                "slug": f"s{pk}",
                "body": _copy_value(body),
                "published_at": published.isoformat(),
                "external_id": "\\N",
            }
            art_lines.append("\t".join([str(pk), *[row[c] for c in before]]) + "\n")
            term_lines.append(f"{pk}\t{tt}\t{bt}\t{published.isoformat()}\n")
            if len(art_lines) == CHUNK:
                _copy(cursor, copy_articles, art_lines)
                _copy(cursor, "COPY bench_terms FROM STDIN", term_lines)
                art_lines, term_lines = [], []
                print(f"  {n + 1} synthetic articles copied", flush=True)
        if art_lines:
            _copy(cursor, copy_articles, art_lines)
            _copy(cursor, "COPY bench_terms FROM STDIN", term_lines)
        timings["generate and COPY"] = time.perf_counter() - started
    return timings | index_staged(section_id)


def drop_gin(cursor):
    """Drop the index's GIN indexes (whole vector and title-only) before bulk writes."""
    for name in ("search_document_vector_gin", "search_document_title_gin"):
        cursor.execute(f"DROP INDEX IF EXISTS {name}")


def build_gin(cursor):
    """The product's own GIN indexes (`backends.postgres.gin_sql`), built once."""
    for statement in gin_sql():
        cursor.execute(statement)


def index_staged(section_id):
    """Index rows from the staged terms (also after a generation stopped part-way)."""
    timings = {}
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), "
            "(SELECT max(id) FROM articles_article))"
        )
        # Articles whose terms were not staged (a COPY of one chunk cut off) go.
        cursor.execute(
            "DELETE FROM articles_article a WHERE a.external_id IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM bench_terms t WHERE t.article_id = a.id)"
        )
        started = time.perf_counter()
        drop_gin(cursor)
        cursor.execute(
            "INSERT INTO search_document "
            "(article_id, vector, status, section_id, contributor_ids, published_at) "
            "SELECT article_id, setweight(to_tsvector('simple', title), 'A') || "
            "setweight(to_tsvector('simple', body), 'D'), 'published', %s, '{}', published_at "
            "FROM bench_terms",
            [section_id],
        )
        timings["tsvectors"] = time.perf_counter() - started
        started = time.perf_counter()
        build_gin(cursor)
        timings["GIN indexes"] = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_terms")
        started = time.perf_counter()
        recount_vocabulary(cursor)
        timings["vocabulary (ts_stat)"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("ANALYZE")
        timings["ANALYZE"] = time.perf_counter() - started
    return timings


def recount_vocabulary(cursor):
    """search_term from the index itself: ts_stat's ndoc is the document frequency."""
    cursor.execute("SELECT word, ndoc FROM ts_stat('SELECT vector FROM search_document')")
    rows = [(w, vocabulary.skeleton(w), df) for w, df in cursor.fetchall() if len(w) <= 200]
    cursor.execute("SELECT count(*) FROM search_document")
    rows.append((vocabulary.DOCUMENTS, "", cursor.fetchone()[0]))
    # Every entry's distinct terms, summed: the shared ranking's mean entry length.
    rows.append((vocabulary.LENGTHS, "", sum(df for _, _, df in rows[:-1])))
    cursor.execute(f"TRUNCATE {vocabulary.TABLE}")
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(str(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.cursor.copy(f"COPY {vocabulary.TABLE} (term, skeleton, df) FROM STDIN") as copy:
        copy.write(buffer.read())


def recentre():
    """Move an archive built with the first version's dates (2007-2017) to 2010-2020."""
    shift = START - FIRST_START
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(published_at) FROM articles_article WHERE external_id IS NULL")
        if (cursor.fetchone()[0] or START) >= START:
            return  # built with this version's dates, or moved already
        cursor.execute(
            "UPDATE search_document d SET published_at = d.published_at + %s "
            "FROM articles_article a WHERE a.id = d.article_id AND a.external_id IS NULL",
            [shift],
        )
        moved = cursor.rowcount
        cursor.execute(
            "UPDATE articles_article SET published_at = published_at + %s "
            "WHERE external_id IS NULL",
            [shift],
        )
    print(f"{moved} synthetic articles' dates moved by {shift.days} days", flush=True)


def in_date_order():
    """Lay the index out as a real archive's grows: in publication order.

    The originals were loaded first, so they lie first on disk; a backend that ranks the
    first matches a scan meets (PostgreSQL ranks at most RANKED_AT_MOST) would then always
    rank them, which favours the known-item targets. A newspaper's rows lie in the order
    stories were published."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS bench_published ON search_document (published_at)"
        )
        cursor.execute("CLUSTER search_document USING bench_published")
        cursor.execute("DROP INDEX bench_published")
        cursor.execute("ANALYZE search_document")
    print(f"index laid out in publication order in {time.perf_counter() - started:.0f} s")


def measure(articles, pk_of, repeat_for_latency=True):
    sets = {"generated": build_testset(articles), "natural": build_natural_testset(articles)}
    timings, stages, found_by, capped = [], Counter(), Counter(), 0
    for set_name, queries in sets.items():
        for half_name, half in zip(("dev", "held-out"), split(queries), strict=True):
            if half_name == "dev" and "--held-out-only" in sys.argv:
                continue
            ranks = {}
            for q in half:
                t0 = time.perf_counter()
                page = services.search(SearchQuery(q.text))
                timings.append(1000 * (time.perf_counter() - t0))
                stages[page.stage] += 1
                capped += page.total > RANKED_AT_MOST
                target = pk_of[q.target]
                found_by[page.found_by.get(target) or "missed"] += 1
                found = page.article_ids.index(target) + 1 if target in page.article_ids else None
                ranks.setdefault(q.kind, []).append(found)
            print(f"\n{set_name} set, {half_name} half")
            print("\n".join(score_table(ranks, dict.fromkeys(q.kind for q in queries))), flush=True)
    timings.sort()
    p = lambda f: timings[min(len(timings) - 1, int(f * len(timings)))]  # noqa: E731
    print(
        f"\nlatency per query ({len(timings)} queries, service call): p50 {p(0.5):.1f} ms, "
        f"p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms"
    )
    reached = {
        s: sum(n for t, n in stages.items() if STEPS.index(t) >= STEPS.index(s)) for s in STEPS
    }
    print("step fires on:  " + ", ".join(f"{s} {n / len(timings):.1%}" for s, n in reached.items()))
    print(
        "wanted article found by: "
        + ", ".join(f"{s} {found_by[s] / len(timings):.1%}" for s in [*STEPS, "missed"])
    )
    share = capped / len(timings)
    print(f"more than {RANKED_AT_MOST} matches (only that many ranked): {share:.1%}")


def main():
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is absent: this benchmark reads the research corpus from ../shared")
    if connection.vendor != "postgresql":
        sys.exit("This benchmark runs on PostgreSQL (DATABASE_URL=postgres://…).")
    size = int(sys.argv[sys.argv.index("--size") + 1]) if "--size" in sys.argv else 300_000
    if "--without" in sys.argv:  # a rule's worth, as in search_backends.py
        switch_off(sys.argv[sys.argv.index("--without") + 1])
    rng = random.Random(11)
    call_command("migrate", verbosity=0)
    articles = load_corpus()
    section, _ = Section.objects.get_or_create(slug="saudinewsnet", name="SaudiNewsNet")
    originals = Article.objects.filter(external_id__isnull=False)
    if originals.count() != len(articles):
        Article.objects.all().delete()
        started = time.perf_counter()
        load(articles)
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        indexed = services.rebuild_index(batch_size=1000)
        print(
            f"originals: {len(articles)} loaded in {loaded:.0f} s; rebuild_index (beside the "
            f"live index, then swap) {indexed} in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
    pk_of = dict(originals.values_list("external_id", "pk"))
    total = Article.objects.count()
    if "--finish" in sys.argv:
        # A generation stopped part-way: index what was copied, then measure.
        timings = index_staged(section.pk)
        print(
            "indexed the staged synthetic articles: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()),
            flush=True,
        )
    elif total < size:
        timings = copy_synthetic(size - total, articles, section.pk, rng)
        print(
            f"added {size - total} synthetic articles: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items()),
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_document'))")
        index_size = cursor.fetchone()[0]
    print(f"archive: {Article.objects.count()} articles, search_document {index_size}", flush=True)
    if "--recentre" in sys.argv or "--in-date-order" in sys.argv:
        # Without the GIN indexes while a million rows are rewritten, then built once.
        with connection.cursor() as cursor:
            drop_gin(cursor)
        if "--recentre" in sys.argv:
            recentre()
        if "--in-date-order" in sys.argv:
            in_date_order()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            build_gin(cursor)
            cursor.execute("ANALYZE search_document")
        print(f"GIN indexes built again in {time.perf_counter() - started:.0f} s", flush=True)
    measure(articles, pk_of)


if __name__ == "__main__":
    main()
