"""Search over the real index, on whichever database the pass runs (SQLite or PostgreSQL)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from jarida.articles import services as articles
from jarida.articles.models import Article, Section
from jarida.search import services
from jarida.search.backends import get_backend
from jarida.search.backends.base import SearchQuery

pytestmark = pytest.mark.django_db

BASE = datetime.fromisoformat("2026-01-10T10:00:00+03:00")


def ids(text, **filters):
    return services.search(SearchQuery(text, **filters), now=BASE + timedelta(days=30)).article_ids


@pytest.fixture
def story(make_article):
    def make(title, body="", days=0, **fields):
        return make_article(
            title=title, body=f"<p>{body}</p>", published_at=BASE + timedelta(days=days), **fields
        )

    return make


def test_backend_follows_the_database():
    expected = {"sqlite": "SQLiteFTS5Backend", "postgresql": "PostgresBackend"}
    assert type(get_backend()).__name__ == expected[connection.vendor]


def test_finds_the_seed_article_however_it_is_spelt(seed_article):
    for query in [
        "روسيا تعاون عسكري",
        "روسيا تعاوناً عسكرياً",
        "الأميركيين طرد",
        "الاستراتيجية",
        "اسوشييتدبرس",
        "سليمانى",
        "وسليماني",
        "بغـــداد",
    ]:
        assert services.search(SearchQuery(query)).article_ids == [seed_article.pk], query


def test_every_word_must_match(story):
    both = story("انقطاع الكهرباء في البصرة")
    story("انقطاع المياه في بغداد")
    assert ids("الكهرباء البصرة") == [both.pk]


def test_title_matches_rank_above_body_matches(story):
    in_body = story("خبر عن الطقس", body="تحدث التقرير عن الزراعة في الجنوب", days=5)
    in_title = story("الزراعة في الجنوب", body="تقرير عن الطقس", days=0)
    assert ids("الزراعة") == [in_title.pk, in_body.pk]


def test_recency_breaks_ties(story):
    older = story("ملعب الشعب يستقبل الجماهير", days=1)
    newer = story("ملعب الشعب يستقبل الجماهير", days=20)
    assert ids("ملعب الشعب") == [newer.pk, older.pk]


def test_only_published_and_due_articles_are_found(story):
    draft = story("مسودة عن الانتخابات", status=Article.Status.DRAFT)
    due = BASE + timedelta(days=3)
    scheduled = story("موعد الانتخابات المحلية", days=3)
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert services.search(SearchQuery("الانتخابات")).article_ids == []
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert services.search(SearchQuery("الانتخابات")).article_ids == [scheduled.pk]
    assert draft.pk not in ids("الانتخابات")


def test_index_follows_edit_unpublish_and_delete(story, run_tasks):
    article = story("معرض الكتاب في بغداد")
    assert ids("معرض") == [article.pk]
    article.title = "مهرجان المسرح في بغداد"
    articles.save_article(article)
    # The index follows once the worker has run the save's task, not inside the save.
    assert ids("معرض") == [article.pk] and ids("مهرجان") == []
    assert run_tasks() == 1
    assert ids("معرض") == [] and ids("مهرجان") == [article.pk]
    article.status = Article.Status.DRAFT
    articles.save_article(article)
    run_tasks()
    assert ids("مهرجان") == []
    article.status = Article.Status.PUBLISHED
    articles.save_article(article)
    run_tasks()
    assert ids("مهرجان") == [article.pk]
    article.delete()
    assert ids("مهرجان") == []


def test_filters_section_contributor_and_dates(story):
    sports = Section.objects.create(name="رياضة", slug="sports")
    writer = articles.contributor_named("مصطفى الربيعي")
    local = story("مباراة في ملعب البصرة", days=1)
    sport = story(
        "مباراة نهائي الكأس",
        days=10,
        section=sports,
        bylines=[articles.BylineSpec(writer)],
    )
    assert ids("مباراة", section_slug="sports") == [sport.pk]
    assert ids("مباراة", contributor_slug=writer.slug) == [sport.pk]
    assert ids("مباراة", date_from=date(2026, 1, 15)) == [sport.pk]
    assert ids("مباراة", date_to=date(2026, 1, 15)) == [local.pk]


def test_newest_order_and_paging(story):
    made = [story(f"تقرير الطقس رقم {n}", days=n) for n in range(15)]
    newest = services.search(SearchQuery("الطقس", order="newest", limit=10))
    assert newest.total == 15
    assert newest.article_ids == [a.pk for a in reversed(made)][:10]
    second = services.search(SearchQuery("الطقس", order="newest", limit=10, offset=10))
    assert second.article_ids == [a.pk for a in reversed(made)][10:]
    relevance = services.search(SearchQuery("الطقس", limit=5, offset=5))
    assert len(relevance.article_ids) == 5 and relevance.total == 15


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "ب" * 10_000,
        "كلمة " * 2000,
        "!!! ... ؟؟؟",
        '" * ^ : - ( ) AND OR NOT NEAR',
        "NEAR(الكهرباء البصرة)",
        "الكهرباء OR",
        '"الكهرباء',
        "\u064e\u064f\u0650",
        "\x00الكهرباء",
        "\ufffd\ufffd",
    ],
)
def test_bad_queries_return_normally(story, query):
    story("انقطاع الكهرباء في البصرة")
    page = services.search(SearchQuery(query))
    assert page.total >= 0 and isinstance(page.article_ids, list)


def test_rebuild_command_restores_a_cleared_index(story, capsys):
    article = story("سوق الشورجة في بغداد")
    get_backend().clear()
    assert ids("الشورجة") == []
    call_command("rebuild_search_index", verbosity=0)
    assert ids("الشورجة") == [article.pk]
    call_command("rebuild_search_index", dry_run=True)
    assert "Would index 1 articles" in capsys.readouterr().out


@pytest.mark.parametrize("order", ["newest", "relevance"])
def test_counting_stops_where_the_page_stops_offering_results(story, order):
    for n in range(8):
        story(f"تقرير الطقس رقم {n}", days=n)
    capped = services.search(SearchQuery("الطقس", order=order, limit=3, count_up_to=5))
    assert (capped.total, capped.more) == (5, True)
    assert len(capped.article_ids) == 3
    exact = services.search(SearchQuery("الطقس", order=order, limit=3, count_up_to=8))
    assert (exact.total, exact.more) == (8, False)
    uncapped = services.search(SearchQuery("الطقس", order=order, limit=3))
    assert (uncapped.total, uncapped.more) == (8, False)


def test_the_backend_count_stops_at_up_to(story):
    for n in range(4):
        story(f"نشرة المطر رقم {n}")
    page = services.search(SearchQuery("المطر", order="newest"))
    assert page.total == 4
    backend = get_backend()
    from jarida.search.services import reader_filters

    match = next(iter(services._steps(
        [services.Word(t, term) for t, term in services.query_words("المطر")],
        backend, {}, weigh=False,
    )))[1]  # fmt: skip
    allowed = reader_filters(SearchQuery("المطر"), BASE + timedelta(days=30))
    assert backend.count(match, allowed) == 4
    assert backend.count(match, allowed, up_to=2) == 2
    assert backend.count(match, allowed, up_to=10) == 4


def test_the_search_page_says_more_than_when_counting_stopped(client, story, monkeypatch):
    monkeypatch.setattr("jarida.search.views.MAX_PAGE", 1)  # count up to one page (10)
    for n in range(11):
        story(f"موجة الحر رقم {n}")
    html = client.get("/search/", {"q": "الحر"}).content.decode()
    assert "أكثر من" in html.split('class="search-summary"')[1].split("</p>")[0]
    monkeypatch.setattr("jarida.search.views.MAX_PAGE", 2)
    html = client.get("/search/", {"q": "الحر"}).content.decode()
    assert "أكثر من" not in html.split('class="search-summary"')[1].split("</p>")[0]
