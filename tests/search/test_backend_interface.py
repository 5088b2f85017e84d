"""The backend contract: analysed query plus declared filter fields, never a queryset.

Runs on whichever database the pass uses (SQLite FTS5 or PostgreSQL); the comparison of
both engines on the same entries runs on the PostgreSQL pass, where both are at hand.
"""

import sqlite3
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection

from jarida.articles import services as articles
from jarida.articles.models import Article, Byline, Section
from jarida.search import services, vocabulary
from jarida.search.analysis import query_terms
from jarida.search.backends import get_backend, sqlite_fts5
from jarida.search.backends.base import Filter, FilterFieldError, IndexEntry
from jarida.search.query import Match

pytestmark = pytest.mark.django_db

BASE = datetime.fromisoformat("2026-01-10T10:00:00+03:00")


def found(text, *filters, limit=50):
    match = Match.strict(query_terms(text))
    return {c.article_id for c in get_backend().best(match, list(filters), limit)}


@pytest.fixture
def desk(make_article):
    sports = Section.objects.create(name="رياضة", slug="sports")
    local = Section.objects.get_or_create(slug="local", defaults={"name": "محليات"})[0]
    writer = articles.contributor_named("مصطفى الربيعي")
    other = articles.contributor_named("هدى العلي")
    made = {
        "local_old": make_article(title="مباراة في ملعب البصرة", section=local, published_at=BASE),
        "sport_new": make_article(
            title="مباراة نهائي الكأس",
            section=sports,
            published_at=BASE + timedelta(days=10),
            bylines=[articles.BylineSpec(writer), articles.BylineSpec(other)],
        ),
        "draft": make_article(
            title="مباراة لم تنشر بعد",
            section=sports,
            status=Article.Status.DRAFT,
            published_at=None,
            bylines=[articles.BylineSpec(other)],
        ),
    }
    return made, sports, writer, other


def test_filters_on_each_declared_field(desk):
    made, sports, writer, other = desk
    ids = {name: a.pk for name, a in made.items()}
    assert found("مباراة") == set(ids.values())
    assert found("مباراة", Filter("status", "exact", "published")) == {
        ids["local_old"],
        ids["sport_new"],
    }
    assert found("مباراة", Filter("section", "exact", sports.pk)) == {
        ids["sport_new"],
        ids["draft"],
    }
    assert found("مباراة", Filter("contributor", "exact", writer.pk)) == {ids["sport_new"]}
    assert found("مباراة", Filter("contributor", "exact", other.pk)) == {
        ids["sport_new"],
        ids["draft"],
    }
    day = BASE + timedelta(days=5)
    assert found("مباراة", Filter("published_at", "gte", day)) == {ids["sport_new"]}
    assert found("مباراة", Filter("published_at", "lt", day)) == {ids["local_old"]}
    assert found("مباراة", Filter("published_at", "lte", BASE)) == {ids["local_old"]}
    assert found("مباراة", Filter("article", "in", [ids["draft"]])) == {ids["draft"]}
    assert found("مباراة", Filter("article", "in", [])) == set()
    both = [Filter("section", "exact", sports.pk), Filter("status", "exact", "published")]
    assert found("مباراة", *both) == {ids["sport_new"]}


def test_a_title_match_leaves_out_words_found_only_in_a_body(make_article):
    titled = make_article(title="ملعب البصرة الجديد", body="<p>افتتاح</p>", published_at=BASE)
    make_article(title="افتتاح", body="<p>ملعب في البصرة</p>", published_at=BASE)
    match = Match.strict(query_terms("ملعب البصرة"))
    backend = get_backend()
    assert backend.count(match, []) == 2
    in_title = Match(match.slots, in_title=True)
    assert backend.count(in_title, []) == 1
    assert [c.article_id for c in backend.best(in_title, [], 5)] == [titled.pk]


def test_a_filter_on_an_undeclared_field_is_refused():
    with pytest.raises(FilterFieldError):
        Filter("title", "exact", "x")
    with pytest.raises(FilterFieldError):
        Filter("section", "gte", 3)


def test_newest_and_count_take_the_same_filters(desk):
    made, _sports, _writer, _other = desk
    match = Match.strict(query_terms("مباراة"))
    published = [Filter("status", "exact", "published")]
    backend = get_backend()
    assert backend.count(match, published) == 2
    assert backend.newest(match, published, 10, 0) == [made["sport_new"].pk, made["local_old"].pk]
    assert backend.newest(match, published, 10, 1) == [made["local_old"].pk]


def test_entries_follow_bylines_status_and_section(desk, make_article, run_tasks):
    # Each change reaches the index through the task a worker runs after the commit.
    made, sports, writer, _other = desk
    article = made["local_old"]
    by_writer = Filter("contributor", "exact", writer.pk)
    assert article.pk not in found("مباراة", by_writer)
    # A save that replaces the bylines (bulk-created, no post_save per byline).
    articles.save_article(article, bylines=[articles.BylineSpec(writer)])
    run_tasks()
    assert article.pk in found("مباراة", by_writer)
    # A byline removed on its own (the back office's inline form).
    Byline.objects.filter(article=article).delete()
    run_tasks()
    assert article.pk not in found("مباراة", by_writer)
    # Status and section changes travel with the article's own save.
    article.section = sports
    article.status = Article.Status.DRAFT
    articles.save_article(article)
    run_tasks()
    assert article.pk in found("مباراة", Filter("section", "exact", sports.pk))
    assert article.pk not in found("مباراة", Filter("status", "exact", "published"))


def test_the_reader_search_passes_fields_not_querysets(desk):
    made, _sports, _writer, _other = desk
    now = BASE + timedelta(days=30)
    filters = services.reader_filters(services.SearchQuery("مباراة", section_slug="sports"), now)
    assert {f.field for f in filters} == {"status", "published_at", "section"}
    page = services.search(services.SearchQuery("مباراة", section_slug="sports"), now=now)
    assert page.article_ids == [made["sport_new"].pk]
    nowhere = services.SearchQuery("مباراة", section_slug="no-such-section")
    assert services.search(nowhere, now=now).article_ids == []
    nobody = services.SearchQuery("مباراة", contributor_slug="no-such-writer")
    assert services.search(nobody, now=now).article_ids == []


ENTRIES = [
    # (title, body): rare and common words spread so that the orders differ clearly.
    ("انقطاع الكهرباء في البصرة", "قال المسؤولون إن الكهرباء ستعود"),
    ("الكهرباء في بغداد", "انقطاع قصير في البصرة"),
    ("أسعار النفط", "الكهرباء والنفط والبصرة"),
    ("مهرجان المربد في البصرة", "شعراء من العراق"),
    ("مهرجان المسرح", "عروض في بغداد والبصرة والموصل"),
    ("البصرة تستقبل الشعراء", "مهرجان المربد الشعري"),
]
QUERIES = ["الكهرباء البصرة", "مهرجان المربد", "البصرة", "انقطاع الكهرباء", "النفط"]


@pytest.fixture
def both(make_article, monkeypatch, django_capture_on_commit_callbacks):
    """(PostgreSQL backend, SQLite backend on an in-memory database), the same entries."""
    if connection.vendor != "postgresql":
        pytest.skip("both engines are at hand on the PostgreSQL pass (SQLite is in-process)")
    with django_capture_on_commit_callbacks(execute=True):
        made = [make_article(title=t, body=f"<p>{b}</p>", published_at=BASE) for t, b in ENTRIES]
    entries = [services.index_entry(a) for a in made]
    memory = sqlite3.connect(":memory:")

    class Wrapper:
        ops = SimpleNamespace(adapt_datetimefield_value=str)

        def cursor(self):
            return _Cursor(memory.cursor())

    monkeypatch.setattr(sqlite_fts5, "connection", Wrapper())
    for statement in sqlite_fts5.create_sql():
        memory.execute(statement)
    lite = sqlite_fts5.SQLiteFTS5Backend()
    lite.index(entries)
    return get_backend(), lite


def _weighted(text, backend):
    words = [services.Word(t, t) for t in query_terms(text)]
    df = vocabulary.frequencies([vocabulary.DOCUMENTS, *(w.term for w in words)])
    return next(services._steps(words, backend, df, weigh=True))[1]


def test_both_backends_give_the_same_top_results(both):
    pg, lite = both
    for text in QUERIES:
        weighted = _weighted(text, pg)
        on_pg = [c.article_id for c in pg.best(weighted, [], 3)]
        on_lite = [c.article_id for c in lite.best(Match(weighted.slots), [], 3)]
        assert on_pg == on_lite, text
        assert on_pg, text


def test_both_backends_report_the_same_counts_and_rank_alike(both):
    pg, lite = both
    mean = vocabulary.mean_length(
        vocabulary.frequencies([vocabulary.LENGTHS])[vocabulary.LENGTHS],
        vocabulary.document_count(),
    )
    for text in QUERIES:
        weighted = _weighted(text, pg)
        ids = [c.article_id for c in pg.best(weighted, [], 10)]
        assert pg.term_counts(ids, weighted.terms()) == lite.term_counts(ids, weighted.terms())
        # Each engine's own order, then the shared formula over its candidates.
        on_pg, _ = services._rescored(pg, weighted, pg.best(weighted, [], 10), mean, 10)
        on_lite, _ = services._rescored(lite, weighted, lite.best(weighted, [], 10), mean, 10)
        published = {c.article_id: BASE for c in on_pg}
        assert services.rerank(on_pg, published, BASE) == services.rerank(
            on_lite, published, BASE
        ), text


class _Cursor:
    """Django's cursor calling convention (%s placeholders, context manager) on sqlite3."""

    def __init__(self, cursor):
        self.cursor = cursor

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cursor.close()

    def execute(self, sql, params=()):
        self.cursor.execute(sql.replace("%s", "?"), params)

    def executemany(self, sql, rows):
        self.cursor.executemany(sql.replace("%s", "?"), rows)

    def fetchall(self):
        return self.cursor.fetchall()

    def fetchone(self):
        return self.cursor.fetchone()


def test_index_entry_carries_the_fields(desk):
    made, sports, writer, other = desk
    entry = services.index_entry(made["sport_new"])
    assert isinstance(entry, IndexEntry)
    assert entry.section_id == sports.pk and entry.status == "published"
    assert set(entry.contributor_ids) == {writer.pk, other.pk}
    assert entry.published_at == made["sport_new"].published_at


def test_postgres_ranks_the_newest_matches_when_there_are_too_many(make_article, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the cap on ranked matches is PostgreSQL's (FTS5 ranks every match)")
    from jarida.search.backends import postgres

    monkeypatch.setattr(postgres, "RANKED_AT_MOST", 3)
    # The oldest is the best match (the word twice in its title): only the cap leaves it
    # out, and the cap keeps the newest three whatever order the rows lie in.
    days = [0, 5, 1, 4, 2]
    made = {
        day: make_article(
            title="كسوف كسوف الشمس" if day == 0 else "كسوف الشمس",
            published_at=BASE + timedelta(days=day),
        )
        for day in days
    }
    assert found("كسوف") == {made[5].pk, made[4].pk, made[2].pk}


def test_postgres_ranks_an_old_title_match_beside_many_newer_body_matches(
    make_article, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("the cap on ranked matches is PostgreSQL's (FTS5 ranks every match)")
    from jarida.search.backends import postgres

    monkeypatch.setattr(postgres, "RANKED_AT_MOST", 3)
    titled = make_article(title="كسوف الشمس فوق البصرة", published_at=BASE)
    newer = [
        make_article(
            title=f"نشرة رقم {n}",
            body="<p>سيرى الناس الكسوف غدا</p>",
            published_at=BASE + timedelta(days=n + 1),
        )
        for n in range(5)
    ]
    best = found("كسوف")
    assert titled.pk in best and len(best) == 4
    assert {a.pk for a in newer[-3:]} < best
    monkeypatch.setattr(postgres, "TITLE_FIRST", False)
    assert titled.pk not in found("كسوف")


def test_best_counted_counts_every_match_beyond_the_best(make_article):
    for n in range(7):
        make_article(title=f"كسوف الشمس رقم {n}", published_at=BASE + timedelta(days=n))
    make_article(title="خسوف القمر", published_at=BASE)
    match = Match.strict(query_terms("كسوف"))
    allowed = [Filter("status", "exact", Article.Status.PUBLISHED)]
    best, total = get_backend().best_counted(match, allowed, 3)
    assert len(best) == 3 and total == 7 == get_backend().count(match, allowed)
    assert get_backend().best_counted(Match.strict(query_terms("زلزال")), allowed, 3) == ([], 0)
