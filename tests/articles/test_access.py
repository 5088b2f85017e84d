"""Who sees which article where: every role against every surface that shows one.

The expected table is written here from the newsroom's rule, not read from the code:
editors and site managers open every article in the back office; reporters and
translators only the ones they created or are credited on; comment moderators and ad
staff none; readers (and staff on the public site) only published stories that are due.
"""

from datetime import timedelta
from urllib.parse import unquote

import pytest
import reversion
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from reversion.models import Version

from jarida.accounts.models import Contributor
from jarida.accounts.roles import ADMINISTRATOR, ensure_roles
from jarida.articles import services
from jarida.articles.models import Article, Section

pytestmark = pytest.mark.django_db

REPORTER, COLLEAGUE, TRANSLATOR = "reporter", "colleague", "translator"
MODERATOR, ADS, EDITOR, MANAGER, READER = "moderator", "ads", "editor", "manager", "reader"
ROLE_GROUPS = {
    REPORTER: "مراسل",
    COLLEAGUE: "مراسل",
    TRANSLATOR: "مترجم",
    MODERATOR: "مشرف التعليقات",
    ADS: "مدير الإعلانات",
    EDITOR: "محرر",
    MANAGER: ADMINISTRATOR,
}

# Each story carries a word of its own (in title and body), looked for in every answer.
STORIES = {
    # key: (created by, credited translator?, status, published)
    "own_draft": (REPORTER, False, Article.Status.DRAFT, None),
    "own_review": (REPORTER, False, Article.Status.REVIEW, None),
    "colleague_draft": (COLLEAGUE, False, Article.Status.DRAFT, None),
    "colleague_embargo": (COLLEAGUE, False, Article.Status.PUBLISHED, +1),
    "colleague_unpublished": (COLLEAGUE, False, Article.Status.UNPUBLISHED, -1),
    "translated_draft": (EDITOR, True, Article.Status.DRAFT, None),
    "public": (COLLEAGUE, False, Article.Status.PUBLISHED, -1),
}
MARKS = {key: f"علامة{chr(0x0661 + i)}سرية" for i, key in enumerate(STORIES)}

EVERYTHING = set(STORIES)
BACK_OFFICE = {
    REPORTER: {"own_draft", "own_review"},
    COLLEAGUE: {"colleague_draft", "colleague_embargo", "colleague_unpublished", "public"},
    TRANSLATOR: {"translated_draft"},
    MODERATOR: set(),
    ADS: set(),
    EDITOR: EVERYTHING,
    MANAGER: EVERYTHING,
    READER: set(),
}
# Lists only some roles may open at all (the audit log and the scheduled list).
EDITORS_ONLY = {EDITOR, MANAGER}


@pytest.fixture
def newsroom(django_user_model, run_tasks):
    ensure_roles()
    users = {}
    for name, group in ROLE_GROUPS.items():
        user = django_user_model.objects.create_user(name, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        users[name] = user
    translator = Contributor.objects.create(
        name="مترجم الوكالة", slug="desk-translator", user=users[TRANSLATOR]
    )
    section = Section.objects.create(name="سياسية", slug="politics")
    now = timezone.now()
    articles = {}
    for key, (creator, translated, status, hours) in STORIES.items():
        mark = MARKS[key]
        with reversion.create_revision():
            article = services.save_article(
                Article(
                    title=f"خبر {mark}",
                    body=f"<p>نص أول {mark}.</p>",
                    section=section,
                    status=status,
                    published_at=None if hours is None else now + timedelta(hours=hours),
                ),
                actor=users[creator],
                bylines=[services.BylineSpec(translator, "translator")] if translated else [],
            )
        with reversion.create_revision():
            article.body = f"<p>نص ثان {mark}.</p>"
            services.save_article(article, actor=users[creator])
        articles[key] = article
    run_tasks()  # the search index the admin search reads
    return users, articles


def _client_for(client, users, role):
    if role != READER:
        client.force_login(users[role])
    return client


def _versions(article):
    newest, oldest = Version.objects.get_for_object(article)[:2]
    return oldest.pk, newest.pk


def article_urls(article) -> dict[str, str]:
    """Every back-office URL that shows one article's text or title."""
    old, new = _versions(article)
    base = f"/admin/articles/article/{article.pk}"
    content_type = ContentType.objects.get_for_model(Article).pk
    return {
        "change form": f"{base}/change/",
        "preview": f"{base}/preview/",
        "history": f"{base}/history/",
        "revision": f"{base}/history/{old}/",
        "diff": f"{base}/compare/{old}/{new}/",
        "view on site": f"/admin/r/{content_type}/{article.pk}/",
    }


def shows(response, mark: str) -> bool:
    return response.status_code == 200 and mark in response.content.decode()


@pytest.mark.parametrize("role", list(BACK_OFFICE))
def test_each_role_opens_exactly_its_articles_on_every_back_office_page(client, newsroom, role):
    users, articles = newsroom
    client = _client_for(client, users, role)
    seen = {}
    for key, article in articles.items():
        for page, url in article_urls(article).items():
            response = client.get(url, follow=True)
            if page == "view on site":  # a redirect to the page, whose slug is the title
                opened = any(article.slug in unquote(url) for url, _ in response.redirect_chain)
            else:
                opened = shows(response, MARKS[key])
            seen.setdefault(page, set())
            if opened:
                seen[page].add(key)
    assert seen == dict.fromkeys(seen, BACK_OFFICE[role])


@pytest.mark.parametrize("role", list(BACK_OFFICE))
def test_each_role_finds_exactly_its_articles_in_back_office_lists(client, newsroom, role):
    users, _ = newsroom
    client = _client_for(client, users, role)
    lists = {
        "change list": "/admin/articles/article/",
        "admin search": "/admin/articles/article/?q=" + "خبر",
        "audit log": "/admin/articles/articleevent/",
        "scheduled": "/admin/articles/scheduledarticle/",
        "deleted (recover)": "/admin/articles/article/recover/",
    }
    for name, url in lists.items():
        body = client.get(url).content.decode()
        found = {key for key, mark in MARKS.items() if mark in body}
        expected = BACK_OFFICE[role]
        if name == "audit log":
            expected = EVERYTHING if role in EDITORS_ONLY else set()
        if name == "scheduled":
            expected = {"colleague_embargo"} if role in EDITORS_ONLY else set()
        if name == "deleted (recover)":
            expected = set()  # nothing was deleted: the list shows no live article
        assert found == expected, name


@pytest.mark.parametrize("role", [REPORTER, COLLEAGUE, TRANSLATOR, MODERATOR, ADS])
def test_deleted_articles_are_listed_for_recovery_to_editors_only(client, newsroom, role):
    users, articles = newsroom
    victim = articles["colleague_draft"]
    with reversion.create_revision():
        victim.delete()
    denied = _client_for(client, users, role).get("/admin/articles/article/recover/")
    assert MARKS["colleague_draft"] not in denied.content.decode()
    client.force_login(users[EDITOR])
    recover_list = client.get("/admin/articles/article/recover/").content.decode()
    assert MARKS["colleague_draft"] in recover_list


@pytest.mark.parametrize("role", [REPORTER, TRANSLATOR, MODERATOR, ADS, READER])
def test_restoring_a_revision_of_an_article_one_cannot_open_changes_nothing(client, newsroom, role):
    users, articles = newsroom
    article = articles["colleague_draft"]
    old, _ = _versions(article)
    client = _client_for(client, users, role)
    response = client.post(f"/admin/articles/article/{article.pk}/restore/{old}/")
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:  # the reader is sent to the login page
        assert "/admin/login/" in response["Location"]
    article.refresh_from_db()
    assert "نص ثان" in article.body


@pytest.mark.parametrize("role", list(BACK_OFFICE))
def test_public_surfaces_show_only_published_due_stories_to_everyone(client, newsroom, role):
    """Staff logged in get nothing more from the public site, the API, feeds or sitemaps."""
    users, articles = newsroom
    client = _client_for(client, users, role)
    urls = [
        "/",
        "/politics/",
        "/search/?q=" + "خبر",
        "/api/v1/articles?limit=100",
        "/api/v1/search?q=" + "خبر",
        "/feed/",
        "/politics/feed/atom/",
        "/sitemaps/articles.xml",
        "/sitemap-news.xml",
        *(f"/api/v1/articles/{a.pk}" for a in articles.values()),
        *(a.get_absolute_url() for a in articles.values()),
        *(f"/politics/{a.pk}/" for a in articles.values()),
    ]
    found = set()
    for url in urls:
        body = client.get(url, follow=True).content.decode()
        found |= {key for key, mark in MARKS.items() if mark in body}
    assert found == {"public"}
