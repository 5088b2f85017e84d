"""Old links answer 301 to the article; nothing is looked up on pages that exist."""

import pytest

from jarida.articles.models import Article
from jarida.importers.models import LegacyPermalink

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_post(make_article):
    article = make_article(title="خبر من الأرشيف")
    LegacyPermalink.objects.create(path="/2014/05/old-story/", article=article)
    LegacyPermalink.objects.create(path="/?p=42", article=article)
    return article


def test_query_string_links_redirect_before_the_home_page_runs(client, old_post):
    for old in ["/?p=42", "/index.php?p=42"]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, old_post.get_absolute_url())
    assert client.get("/?p=43").status_code == 200
    assert client.get("/?p=abc").status_code == 200


def test_a_wordpress_month_and_name_link_is_not_taken_for_an_article_id(client, make_article):
    # /2014/05/old-story/ has the shape of /<section>/<id>/<slug>/: article 5 must not win.
    other = make_article(title="مقال آخر")
    target = make_article(title="الخبر المقصود")
    old = f"/2014/{other.pk:02d}/old-story/"
    LegacyPermalink.objects.create(path=old, article=target)
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, target.get_absolute_url())


def test_unpublished_articles_keep_their_old_links_silent(client, old_post):
    Article.objects.filter(pk=old_post.pk).update(status=Article.Status.UNPUBLISHED)
    assert client.get("/2014/05/old-story/").status_code == 404
    assert client.get("/?p=42").status_code == 200


def test_pages_that_exist_cost_no_lookup(client, old_post, django_assert_num_queries):
    client.get(old_post.get_absolute_url())  # warm the caches
    with django_assert_num_queries(4):  # the article page's own count (docs/architecture.md)
        assert client.get(old_post.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/2014/05/old-story").status_code == 301  # no slash: found too
