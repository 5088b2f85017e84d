"""The whole-page cache for anonymous readers: fast, never stale, never past a schedule."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jarida.articles import workflow
from jarida.articles.models import Article
from jarida.comments.models import Comment
from jarida.comments.services import moderate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300


def test_second_anonymous_request_touches_no_database(
    client, seed_article, django_assert_num_queries
):
    url = seed_article.get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert not second.cookies


def test_matching_etag_answers_304(client, seed_article):
    url = seed_article.get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_an_edit_shows_once_committed(client, make_article, django_capture_on_commit_callbacks):
    article = make_article(title="العنوان قبل التعديل")
    assert "العنوان قبل التعديل" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "العنوان بعد التعديل"
        article.save()
        # Until the write commits, the cached page stands (a reader in between must not
        # cache the old page under a new generation).
        assert "العنوان قبل التعديل" in client.get("/").content.decode()
    assert "العنوان بعد التعديل" in client.get("/").content.decode()


def test_publishing_and_unpublishing_show_at_once(
    client, make_article, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from jarida.accounts.roles import ensure_roles

    ensure_roles()
    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="محرر"))
    article = make_article(title="خبر عاجل عن الفيضان", status=Article.Status.REVIEW)
    assert "خبر عاجل" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "publish", editor, at=timezone.now() - timedelta(minutes=1))
    assert "خبر عاجل" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "unpublish", editor)
    assert "خبر عاجل" not in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_approving_a_comment_updates_the_cached_page(
    client, seed_article, django_capture_on_commit_callbacks
):
    url = seed_article.get_absolute_url()
    comment = Comment.objects.create(
        article=seed_article, text="يعني العراق سوريه الثانية ...", status=Comment.Status.PENDING
    )
    assert "سوريه الثانية" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderate([comment], Comment.Status.PUBLISHED)
    assert "سوريه الثانية" in client.get(url).content.decode()


def test_cached_page_never_outlives_the_next_scheduled_story(client, make_article, monkeypatch):
    from django.conf import settings
    from django.core.cache import caches

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        make_article(title="خبر منشور", published_at=now - timedelta(hours=1))
        due = now + timedelta(seconds=40)
        make_article(title="خبر مجدول بعد قليل", published_at=due)
        pages = caches["pages"]
        stored = {}
        real_set = pages.set
        monkeypatch.setattr(
            pages,
            "set",
            lambda key, value, timeout=None, version=None: (
                (key.endswith(":lock") or stored.update({key: timeout}))
                or real_set(key, value, timeout, version)
            ),
        )
        response = client.get("/")
        assert "خبر مجدول" not in response.content.decode()
        max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age == 40
        assert list(stored.values()) == [40]
    if "Redis" in settings.CACHES["pages"]["BACKEND"]:
        return  # Redis expires keys on its own clock, which time-machine cannot move.
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert "خبر مجدول بعد قليل" in client.get("/").content.decode()
        # Once it is live, pages are cached for the full time again.
        assert "max-age=60" in client.get("/")["Cache-Control"]


def test_staff_with_a_session_always_get_fresh_pages(client, make_article, admin_user):
    client.force_login(admin_user)
    make_article(title="أول خبر")
    client.get("/")
    Article.objects.update(title="تغيير بلا إشارة")  # bypasses signals on purpose
    response = client.get("/")
    assert "تغيير بلا إشارة" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_a_bulk_import_drops_cached_pages(client, db, tmp_path, django_capture_on_commit_callbacks):
    import json

    from django.core.management import call_command

    def import_one(n: int, title: str):
        record = {
            "title": title,
            "content": "فقرة أولى.\nفقرة ثانية.",
            "author": "",
            "source": "archive",
            "url": f"https://example.com/a/{n}",
            "date": "2026-01-01 10:00:00",
        }
        path = tmp_path / "archive.ndjson"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_ndjson", str(path), verbosity=0)

    import_one(1, "خبر أول من الأرشيف")  # creates the section and the agency (model saves)
    assert "خبر أول من الأرشيف" in client.get("/").content.decode()
    import_one(2, "خبر ثان من الأرشيف")  # bulk writes only
    assert "خبر ثان من الأرشيف" in client.get("/").content.decode()
