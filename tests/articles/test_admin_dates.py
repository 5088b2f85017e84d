"""Dates in the back office read as the reader site prints them: day first, Arabic."""

import re
from datetime import datetime

import pytest

from jarida.articles.models import Article
from tests.articles.conftest import article_form

pytestmark = pytest.mark.django_db

SEED_TIME = "9 فبراير, 2020: 08:48 م"  # the seed page's own line: نشر في: 9 فبراير, 2020: 08:48 م


@pytest.fixture
def admin_client_ar(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "pw"))
    return client


def test_article_list_prints_dates_day_first_like_the_site(admin_client_ar, seed_article):
    html = admin_client_ar.get("/admin/articles/article/").content.decode()
    assert SEED_TIME in html
    assert "فبراير 9" not in html


def test_publish_message_prints_the_time_in_the_sites_format(admin_client_ar, make_article):
    article = make_article(
        status=Article.Status.DRAFT,
        published_at=datetime.fromisoformat("2020-02-09T20:48:00+03:00"),
    )
    response = admin_client_ar.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(article, _workflow="publish"),
        follow=True,
    )
    notes = [str(m) for m in response.context["messages"]]
    published = [n for n in notes if n.startswith(f"«{article.title}»")]
    assert published and SEED_TIME in published[0], notes
    assert not re.search(r"\d{4}-\d{2}-\d{2}", published[0])
    # A change is not an addition (Django's Arabic catalogue said إضافة for both).
    assert any(n.startswith("حُفظت تعديلات مقال «") for n in notes), notes
