"""People found by one rule (accounts.services): by login, then e-mail, then name."""

import pytest

from jarida.accounts.models import Contributor
from jarida.accounts.services import Author, contributor_for_author, contributors_named
from jarida.articles import services
from jarida.articles.models import Article, Section

pytestmark = pytest.mark.django_db


def test_an_author_is_found_by_login_then_email_then_name():
    typed_by_an_editor = services.contributor_named("هدى النقيب")
    huda, created = contributor_for_author(Author("huda", "Huda@Example.org", "هدى النقيب"))
    assert (huda, created) == (typed_by_an_editor, False)  # the name, and no login yet
    assert (huda.login, huda.email) == ("huda", "Huda@Example.org")  # now kept
    renamed = Author("huda", "huda@example.org", "هدى ن.")
    assert contributor_for_author(renamed) == (huda, False)  # the login (same e-mail)
    assert contributor_for_author(Author("h.naqib", "HUDA@example.org", "")) == (huda, False)


def test_the_same_login_with_another_email_is_another_person():
    first, _ = contributor_for_author(Author("admin", "a@one.example", "admin"))
    second, created = contributor_for_author(Author("admin", "b@two.example", "admin"))
    assert created and second != first
    assert second.slug != first.slug  # one slug rule: admin, admin-2


def test_names_in_bulk_reuse_and_get_unique_slugs():
    existing = services.contributor_named("علي الخفاجي")
    found = contributors_named(["علي الخفاجي", "\uf06fعلي الخفاجي", "سلمى", "سلمى"])
    assert found["علي الخفاجي"] == found["\uf06fعلي الخفاجي"] == existing
    assert Contributor.objects.filter(name="سلمى").count() == 1


def test_a_tag_is_one_per_slug_or_name():
    markup = services.tags_for([services.TagSpec("Markup", "markup")])[0]
    assert services.tags_for(["markup", services.TagSpec("Markup", "other-slug")]) == [markup]
    # A name whose slug another tag has is that tag (no unique-slug crash on save).
    assert services.tags_named(["MARKUP"]) == [markup]
    new = services.tags_for([services.TagSpec("المياه", "%d8%a7%d9%84%d9%85%d9%8a%d8%a7%d9%87")])
    assert new[0].slug == "المياه"


def test_staff_only_login_and_email_never_reach_readers(client):
    section = Section.objects.create(name="سياسة", slug="politics")
    person, _ = contributor_for_author(Author("tamim", "tamim.secret@example.org", "تميم الحسن"))
    article = Article(title="خبر", section=section, status=Article.Status.PUBLISHED)
    article.published_at = "2020-02-09T20:48:00+03:00"
    services.save_article(article, bylines=[services.BylineSpec(person)])
    pages = [
        article.get_absolute_url(),
        person.get_absolute_url(),
        f"/writers/{person.slug}/feed/",
        f"/writers/{person.slug}/feed/atom/",
        f"/writers/{person.slug}/feed/json/",
        "/api/v1/contributors",
        f"/api/v1/articles/{article.pk}",
        "/sitemaps/writers.xml",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"tamim.secret" not in response.content, url
        assert b"tamim" not in response.content.replace(b"tamim.secret", b""), url
