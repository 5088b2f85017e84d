"""Writers' and tags' archive entries follow every write of what they copy.

The entries (`WriterEntry`, `TagEntry`) carry their story's status and publication time so
the writer and tag archives read an index of their own; a copy left behind would show a
withdrawn story or hide a published one, so each way of writing is tried here.
"""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group

from jarida.accounts.roles import ensure_roles
from jarida.articles import services, workflow
from jarida.articles.models import Article, Byline, TagEntry, WriterEntry
from tests.articles.conftest import article_form

pytestmark = pytest.mark.django_db

WHEN = datetime.fromisoformat("2026-01-01T10:00:00+03:00")


def entries(article):
    """What the entries hold for the article: {("writer"|"tag", key): (status, time)}."""
    found = {
        ("writer", e.contributor_id): (e.status, e.published_at)
        for e in WriterEntry.objects.filter(article=article)
    }
    return found | {
        ("tag", e.tag_id): (e.status, e.published_at)
        for e in TagEntry.objects.filter(article=article)
    }


def expected(article):
    """The entries the article's bylines, tags, status and time call for."""
    article.refresh_from_db()
    copy = (article.status, article.published_at)
    keys = {("writer", b.contributor_id) for b in article.bylines.all()}
    keys |= {("tag", t.pk) for t in article.tags.all()}
    return dict.fromkeys(keys, copy)


@pytest.fixture
def people():
    return [services.contributor_named(name) for name in ("سلمى الجبوري", "حسن الموسوي")]


@pytest.fixture
def story(make_article, people):
    return make_article(
        published_at=WHEN,
        bylines=[services.BylineSpec(people[0])],
        tags=services.tags_named(["الكهرباء"]),
    )


@pytest.fixture
def editor(django_user_model):
    ensure_roles()
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="محرر"))
    return user


def test_a_new_story_has_an_entry_per_writer_and_tag(story, people):
    assert set(entries(story)) == {("writer", people[0].pk), ("tag", story.tags.get().pk)}
    assert entries(story) == expected(story)


def test_unpublishing_and_publishing_again_reach_the_entries(story, editor):
    workflow.transition(story, "unpublish", editor)
    assert {status for status, _ in entries(story).values()} == {Article.Status.UNPUBLISHED}
    assert entries(story) == expected(story)
    assert not Article.objects.published().by_contributor(story.bylines.get().contributor)
    workflow.transition(story, "publish", editor)
    assert {status for status, _ in entries(story).values()} == {Article.Status.PUBLISHED}
    assert entries(story) == expected(story)


def test_rescheduling_moves_the_entries_time(story, people):
    later = WHEN + timedelta(days=400)
    story.published_at = later
    services.save_article(story)
    assert {at for _, at in entries(story).values()} == {later}
    # Scheduled: out of the archive until the clock gets there.
    assert not Article.objects.published(at=WHEN).by_contributor(people[0], at=WHEN)
    assert list(Article.objects.by_contributor(people[0], at=later)) == [story]


def test_a_draft_published_through_the_service_is_listed(make_article, people):
    draft = make_article(
        status=Article.Status.DRAFT, published_at=None, bylines=[services.BylineSpec(people[1])]
    )
    assert entries(draft) == {("writer", people[1].pk): (Article.Status.DRAFT, None)}
    services.publish_article(draft, at=WHEN)
    assert entries(draft) == {("writer", people[1].pk): (Article.Status.PUBLISHED, WHEN)}
    assert list(Article.objects.published().by_contributor(people[1])) == [draft]


def test_replacing_bylines_replaces_writer_entries(story, people):
    services.save_article(story, bylines=[services.BylineSpec(people[1])])
    assert ("writer", people[0].pk) not in entries(story)
    assert entries(story) == expected(story)
    assert not Article.objects.published().by_contributor(people[0])
    assert list(Article.objects.published().by_contributor(people[1])) == [story]


def test_a_writer_in_two_roles_is_listed_once(story, people):
    both = [services.BylineSpec(people[0]), services.BylineSpec(people[0], Byline.Role.EDITOR)]
    services.save_article(story, bylines=both)
    assert WriterEntry.objects.filter(article=story).count() == 1
    assert list(Article.objects.published().by_contributor(people[0])) == [story]


def test_tag_edits_reach_the_entries(story):
    first = story.tags.get()
    other, third = services.tags_named(["البصرة", "النفط"])
    services.save_article(story, tags=[other])
    assert entries(story) == expected(story)
    assert not Article.objects.published().tagged(first)
    assert list(Article.objects.published().tagged(other)) == [story]
    story.tags.add(third)
    assert entries(story) == expected(story)
    story.tags.remove(other)
    assert entries(story) == expected(story)
    third.articles.remove(story)  # from the tag's side
    assert entries(story) == expected(story)
    assert not TagEntry.objects.filter(article=story)
    other.articles.add(story)
    assert entries(story) == expected(story)
    other.articles.clear()
    assert entries(story) == expected(story)
    assert not TagEntry.objects.filter(article=story)


def test_bylines_and_tags_saved_in_the_back_office_reach_the_entries(client, editor, story, people):
    client.force_login(editor)
    other = services.tags_named(["البصرة"])[0]
    form = article_form(
        story,
        **{
            "status": story.status,
            "tags": [other.pk],
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-contributor": people[1].pk,
            "bylines-0-role": "author",
            "bylines-0-position": "0",
        },
    )
    old = story.bylines.get()
    form |= {
        "bylines-TOTAL_FORMS": "2",
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": old.pk,
        "bylines-0-article": story.pk,
        "bylines-0-contributor": people[0].pk,
        "bylines-0-role": "author",
        "bylines-0-position": "0",
        "bylines-0-DELETE": "on",
        "bylines-1-article": story.pk,
        "bylines-1-contributor": people[1].pk,
        "bylines-1-role": "author",
        "bylines-1-position": "0",
    }
    response = client.post(f"/admin/articles/article/{story.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(entries(story)) == {("writer", people[1].pk), ("tag", other.pk)}
    assert entries(story) == expected(story)


def test_bulk_saves_write_entries(people):
    section = services.find_or_create_section("local", "محليات")[0]
    new = Article(title="خبر مستورد", body="<p>نص.</p>", section=section)
    new.status, new.published_at = Article.Status.PUBLISHED, WHEN
    by = [services.BylineSpec(people[0])]
    services.save_articles_in_bulk([services.BulkArticle(new, by)])
    assert entries(new) == {("writer", people[0].pk): (Article.Status.PUBLISHED, WHEN)}
    new.status = Article.Status.UNPUBLISHED
    by = [services.BylineSpec(people[1])]
    services.save_articles_in_bulk([], [services.BulkArticle(new, by)])
    assert entries(new) == {("writer", people[1].pk): (Article.Status.UNPUBLISHED, WHEN)}


def test_archive_pages_keep_their_order_past_the_seek(make_article, people):
    """Deep pages (keyset past page 5) compare the entries' copies, newest first."""
    from jarida.articles.paging import ArchivePaginator

    stories = [
        make_article(
            published_at=WHEN - timedelta(hours=n // 2),  # pairs share a time: id breaks ties
            bylines=[services.BylineSpec(people[0])],
        )
        for n in range(14)
    ]
    wanted = sorted(stories, key=lambda a: (a.published_at, a.pk), reverse=True)
    listed = Article.objects.published().by_contributor(people[0]).newest_first()
    pages = ArchivePaginator(listed, 2, seek_after=1)
    got = [a for number in pages.page_range for a in pages.page(number)]
    assert got == wanted


def test_the_entries_count_what_the_archive_lists(make_article, people, editor):
    """Writer and tag pages count their entries alone (`counted`): the same number."""
    from jarida.articles.paging import ArchivePaginator

    tag = services.tags_named(["الكهرباء"])[0]
    made = {}
    for state in ("live", "draft", "scheduled", "withdrawn", "live too"):
        made[state] = make_article(
            status=Article.Status.DRAFT if state == "draft" else Article.Status.PUBLISHED,
            published_at=None if state == "draft" else WHEN,
            bylines=[services.BylineSpec(people[0])],
            tags=[tag],
        )
    services.publish_article(made["scheduled"], at=WHEN + timedelta(days=3650))
    workflow.transition(made["withdrawn"], "unpublish", editor)
    for listed, counted in (
        (
            Article.objects.published().by_contributor(people[0]),
            WriterEntry.objects.filter(contributor=people[0]),
        ),
        (Article.objects.published().tagged(tag), TagEntry.objects.filter(tag=tag)),
    ):
        pages = ArchivePaginator(listed.newest_first(), 20, counted=counted.public())
        assert pages.count == len(pages.page(1)) == 2
