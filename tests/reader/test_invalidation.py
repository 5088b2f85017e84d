"""Exact invalidation: a change refreshes the pages that show it and no others.

Runs on the real configured caches (files on the SQLite pass, Redis on the scale-out
pass). Renders are counted where the page cache calls the view, so "untouched" means
the view did not run again, not merely that the body looks alike.
"""

from collections import Counter
from datetime import timedelta

import pytest

from jarida.articles import services
from jarida.articles.models import Article
from jarida.comments.models import Comment
from jarida.comments.services import moderate
from jarida.reader import page_cache
from jarida.reader.page_cache import PageCache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def renders(monkeypatch):
    """How many times each address was rendered (its view run) behind the page cache."""
    counts = Counter()
    real = PageCache.serve

    def serve(self, request, render):
        def counted():
            counts[request.get_full_path()] += 1
            return render()

        return real(self, request, counted)

    monkeypatch.setattr(PageCache, "serve", serve)
    return counts


@pytest.fixture
def pages(paper):
    politics, economy = paper["sections"]
    water, reporter = paper["tag"], paper["reporter"]
    economy_story = paper["published"][1]
    return {
        "home": "/",
        "politics": politics.get_absolute_url(),
        "economy": economy.get_absolute_url(),
        "tag": water.get_absolute_url(),
        "writer": reporter.get_absolute_url(),
        "translator": paper["translator"].get_absolute_url(),
        "feed": "/feed/",
        "atom": "/feed/atom/",
        "politics feed": f"{politics.get_absolute_url()}feed/",
        "economy feed": f"{economy.get_absolute_url()}feed/",
        "tag feed": f"{water.get_absolute_url()}feed/",
        "sitemap index": "/sitemap.xml",
        "sitemap": "/sitemaps/articles.xml",
        "news sitemap": "/sitemap-news.xml",
        "economy story": economy_story.get_absolute_url(),
        "politics story": paper["published"][0].get_absolute_url(),
    }


def visit(client, pages) -> dict[str, str]:
    bodies = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        bodies[name] = response.content.decode()
    return bodies


def rendered(renders, pages, names) -> dict[str, int]:
    return {name: renders[pages[name]] for name in names}


def test_pages_are_rendered_once_then_served_from_the_cache(client, pages, renders):
    visit(client, pages)
    visit(client, pages)
    assert set(renders.values()) == {1}
    assert len(renders) == len(pages)


def test_saving_a_draft_changes_no_cached_page(
    client, paper, pages, renders, django_capture_on_commit_callbacks, caplog
):
    before = visit(client, pages)
    draft = paper["hidden"]["draft"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft.title = "مسودة معدلة لا يراها أحد"
        services.save_article(draft, tags=[paper["tag"]])
        review = paper["hidden"]["review"]
        review.body = "<p>نص جديد قيد المراجعة.</p>"
        services.save_article(review)
    after = visit(client, pages)
    assert after == before
    assert set(renders.values()) == {1}  # not one page rendered again
    assert "edge purge" not in caplog.text  # and nothing sent to the edge
    assert callbacks  # the saves did commit (search index and the rest)


def test_publishing_refreshes_every_list_it_joins_and_nothing_else(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    politics = paper["sections"][0]
    story = paper["hidden"]["review"]  # politics, by the reporter and translator, tagged
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(story, at=story.published_at)
    after = visit(client, pages)
    joined = [
        "home",
        "politics",
        "tag",
        "writer",
        "translator",
        "feed",
        "atom",
        "politics feed",
        "tag feed",
        "sitemap index",
        "sitemap",
        "news sitemap",
    ]
    for name in joined:
        assert renders[pages[name]] == 2, name
        if "sitemap" not in name:
            assert story.title in after[name], name
    untouched = ["economy", "economy feed", "economy story", "politics story"]
    assert rendered(renders, pages, untouched) == dict.fromkeys(untouched, 1)
    assert story.section == politics


def test_an_edit_refreshes_only_the_pages_showing_the_story(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    story = paper["published"][1]  # economy, by the reporter, no tag
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "الدينار يتراجع أمام الدولار"
        services.save_article(story)
    pages["economy story"] = story.get_absolute_url()  # the slug follows the title
    after = visit(client, pages)
    showing = ["home", "economy", "writer", "feed", "economy feed", "economy story", "sitemap"]
    assert renders[pages["economy story"]] == 1  # its new address, rendered once
    showing.remove("economy story")
    for name in showing:
        assert renders[pages[name]] == 2, name
        if "sitemap" not in name:
            assert "الدينار يتراجع" in after[name], name
    untouched = ["politics", "tag", "translator", "politics feed", "tag feed", "politics story"]
    assert rendered(renders, pages, untouched) == dict.fromkeys(untouched, 1)


def test_unpublishing_and_deleting_take_the_story_off_every_page(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    story, other = paper["published"][1], paper["published"][0]
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.UNPUBLISHED
        services.save_article(story)
    assert client.get(pages["economy story"]).status_code == 404
    for name in ["home", "economy", "writer", "feed", "economy feed"]:
        assert story.title not in client.get(pages[name]).content.decode(), name
    assert renders[pages["politics"]] == 1
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert client.get(pages["politics story"]).status_code == 404
    for name in ["home", "politics", "tag", "writer", "translator", "feed", "tag feed"]:
        assert other.title not in client.get(pages[name]).content.decode(), name


def test_a_comment_shown_refreshes_its_article_page_only(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    story = paper["published"][0]
    comment = Comment.objects.create(
        article=story, text="تعليق ينتظر المراجعة", status=Comment.Status.PENDING
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderate([comment], Comment.Status.PUBLISHED)
    assert "تعليق ينتظر المراجعة" in client.get(pages["politics story"]).content.decode()
    visit(client, pages)
    assert renders[pages["politics story"]] == 2
    others = [name for name in pages if name != "politics story"]
    assert rendered(renders, pages, others) == dict.fromkeys(others, 1)


def test_scheduling_a_story_earlier_shortens_the_pages_it_will_join(
    client, paper, pages, renders, settings, django_capture_on_commit_callbacks
):
    settings.JARIDA_EDGE_MAX_AGE = 3600
    before = client.get("/")
    # Due in an hour, past the server's 300 s: the page is kept as long as usual.
    assert "s-maxage=3600" in before["Cache-Control"]
    client.get(pages["economy"])
    scheduled = paper["hidden"]["scheduled"]
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.published_at -= timedelta(minutes=57)  # now due in 3 minutes
        services.save_article(scheduled)
    response = client.get("/")
    assert renders["/"] == 2
    # Nobody may keep the home page past the story's new time, stale or not.
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=180"
    client.get(pages["economy"])
    assert renders[pages["economy"]] == 1  # the story will not be on it: left alone


def test_a_renamed_section_changes_every_page_a_new_tag_none(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    with django_capture_on_commit_callbacks(execute=True):
        services.tags_named(["وسم جديد لم يستعمل"])
    visit(client, pages)
    assert set(renders.values()) == {1}
    economy = paper["sections"][1]
    with django_capture_on_commit_callbacks(execute=True):
        economy.name = "الاقتصاد والمال"
        economy.save()
    after = visit(client, pages)
    assert set(renders.values()) == {2}  # the menu is on every page
    assert "الاقتصاد والمال" in after["politics story"]


def test_versions_live_in_the_shared_cache(paper):
    """Two servers sharing the cache agree: a bump made by one is seen by the other."""
    from django.core.cache import caches

    key = page_cache.section_key(paper["sections"][0].pk)
    first = page_cache.versions([key])[key]
    assert page_cache.versions([key])[key] == first  # stable until bumped
    page_cache.bump([key])
    stored = caches[page_cache.VERSIONS_ALIAS].get(f"v:{key}")
    assert stored != first and page_cache.versions([key])[key] == stored


def test_a_new_story_with_its_writers_refreshes_their_pages(
    client, paper, pages, renders, make_article, django_capture_on_commit_callbacks
):
    visit(client, pages)
    economy, translator = paper["sections"][1], paper["translator"]
    with django_capture_on_commit_callbacks(execute=True):
        # Created published in one go: its bylines are written after the article.
        story = make_article(
            title="ترجمة جديدة عن أسعار النفط",
            section=economy,
            bylines=[services.BylineSpec(translator)],
            published_at=paper["published"][0].published_at,
        )
    after = visit(client, pages)
    for name in ["translator", "economy", "economy feed", "home", "feed"]:
        assert story.title in after[name], name
    assert renders[pages["politics"]] == 1 and renders[pages["tag"]] == 1


def test_crediting_another_writer_on_a_public_story_refreshes_their_page(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    story = paper["published"][1]  # by the reporter only
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(
            story,
            bylines=[
                services.BylineSpec(paper["reporter"]),
                services.BylineSpec(paper["translator"]),
            ],
        )
    assert story.title in client.get(pages["translator"]).content.decode()
    assert renders[pages["translator"]] == 2
    assert renders[pages["politics"]] == 1


def test_a_changed_picture_refreshes_the_pages_showing_its_story(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    visit(client, pages)
    image = paper["image"]  # featured by the first politics story
    with django_capture_on_commit_callbacks(execute=True):
        image.alt_text = "جسر على دجلة في الصباح"
        image.save()
    assert "جسر على دجلة في الصباح" in client.get(pages["politics story"]).content.decode()
    assert renders[pages["politics story"]] == 2
    assert renders[pages["economy story"]] == 1 and renders[pages["economy"]] == 1


def test_new_related_stories_refresh_the_article_pages_and_no_list(
    client, paper, pages, renders, django_capture_on_commit_callbacks
):
    from jarida.related.tasks import refresh_related

    visit(client, pages)
    story = paper["published"][1]
    with django_capture_on_commit_callbacks(execute=True):
        refresh_related.call(story.pk)  # what the worker runs after the story's save
    visit(client, pages)
    assert renders[pages["economy story"]] == 2
    lists = ["home", "economy", "politics", "writer", "tag", "feed", "sitemap"]
    assert rendered(renders, pages, lists) == dict.fromkeys(lists, 1)
