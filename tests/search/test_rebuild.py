"""Rebuilding the index beside the live one, then swapping: readers and writers go on."""

import threading
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection, connections

from jarida.articles import services as articles
from jarida.articles.models import Article
from jarida.search import services, vocabulary
from jarida.search.backends import get_backend
from jarida.search.backends.base import SearchQuery

BASE = datetime.fromisoformat("2026-01-10T10:00:00+03:00")


def ids(text):
    return services.search(SearchQuery(text), now=BASE + timedelta(days=30)).article_ids


def vocabulary_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, df FROM {vocabulary.TABLE} ORDER BY term")
        return cursor.fetchall()


def tables():
    return set(connection.introspection.table_names())


@pytest.fixture
def story(make_article, django_capture_on_commit_callbacks):
    def make(title, days=0, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return make_article(title=title, published_at=BASE + timedelta(days=days), **fields)

    return make


@pytest.mark.django_db
def test_saves_during_a_rebuild_reach_the_new_index(story, django_capture_on_commit_callbacks):
    kept = [story(f"سوق الشورجة رقم {n}") for n in range(5)]
    edited, deleted = kept[0], kept[1]
    kept_ids = [a.pk for a in kept]
    seen_during = []

    def meanwhile(count):
        if seen_during:
            return
        # The live index still answers while the new one is being filled.
        seen_during.append(sorted(ids("الشورجة")))
        with django_capture_on_commit_callbacks(execute=True):
            edited.title = "مهرجان المسرح في بغداد"
            articles.save_article(edited)
            deleted.delete()
            story("معرض الكتاب في الموصل")

    done = services.rebuild_index(batch_size=2, progress=meanwhile)
    # The first batch (two articles) before the desk's work, then three left and the new one.
    assert done == 6
    assert seen_during == [sorted(kept_ids)]
    assert sorted(ids("الشورجة")) == sorted(kept_ids[2:])
    assert ids("مهرجان") == [edited.pk]
    assert len(ids("الموصل")) == 1
    # The swapped-in vocabulary is what a rebuild from scratch makes.
    rebuilt = vocabulary_rows()
    services.rebuild_index()
    assert rebuilt == vocabulary_rows()
    assert dict(rebuilt)[vocabulary.DOCUMENTS] == Article.objects.count()
    assert not {t for t in tables() if t.endswith("_next")}


@pytest.mark.django_db
def test_a_failed_rebuild_leaves_the_live_index(story):
    article = story("سوق الشورجة في بغداد")
    before = vocabulary_rows()

    def crash(count):
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        services.rebuild_index(batch_size=1, progress=crash)
    assert ids("الشورجة") == [article.pk]
    assert vocabulary_rows() == before
    assert not {t for t in tables() if t.endswith("_next")}


# available_apps: the teardown truncates with CASCADE (the index references articles).
@pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
def test_the_newsroom_saves_while_a_rebuild_runs(story):
    for n in range(4):
        story(f"سوق الشورجة رقم {n}")
    outcome = []

    def desk_saves(count):
        if outcome:
            return

        def save():
            try:
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET lock_timeout = '2s'")
                article = Article.objects.order_by("pk").first()
                article.title = "مهرجان المسرح في بغداد"
                articles.save_article(article)
                outcome.append("saved")
            except Exception as error:  # reported below
                outcome.append(error)
            finally:
                connections.close_all()

        # Another connection, as another desk: it must not wait for the rebuild.
        thread = threading.Thread(target=save)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive()

    services.rebuild_index(batch_size=1, progress=desk_saves)
    assert outcome == ["saved"]
    assert len(ids("مهرجان")) == 1
    assert get_backend().terms_of([Article.objects.order_by("pk").first().pk])
