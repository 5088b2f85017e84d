"""The moderation queue in the back office: filters, bulk actions, settings."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jarida.comments.models import Comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


@pytest.fixture
def moderator(client, django_user_model):
    """A staff member who may only moderate comments (no superuser powers)."""
    user = django_user_model.objects.create_user("moderator", "m@example.com", "pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_comment", "change_comment", "delete_comment"]
        )
    )
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def queue(article, make_article, make_comment):
    other = make_article(title="مقال آخر عن الكهرباء")
    return {
        "pending": make_comment(article, "ينتظر القرار", status=Comment.Status.PENDING),
        "pending_other": make_comment(other, "ينتظر على مقال آخر", status=Comment.Status.PENDING),
        "published": make_comment(article, "منشور من قبل"),
        "other": other,
    }


def _texts(response):
    return {c.text for c in response.context["cl"].result_list}


def test_queue_opens_on_pending_comments(moderator, queue):
    response = moderator.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].endswith("?status__exact=pending")
    assert _texts(moderator.get(response["Location"])) == {"ينتظر القرار", "ينتظر على مقال آخر"}


def test_queue_rows_read_as_comments(moderator, article, make_comment):
    text = "رأي طويل " * 25  # near the 255-character limit: shown whole, not cut at 80
    make_comment(article, text.strip(), status="pending", name="سلمى", held_reason="روابط كثيرة")
    make_comment(article, "بلا توقيع", status="pending")
    html = moderator.get(f"{QUEUE}?status__exact=pending").content.decode()
    assert text.strip() in html
    assert "<bdi>سلمى</bdi>" in html and "<bdi>(بلا اسم)</bdi>" in html
    assert f"على «{article.title}»" in html and "روابط كثيرة" in html
    # Day first, as the reader site prints dates (the suite's calendar: 15 June 2026).
    assert "15 يونيو, 2026" in html and "comments/moderation-admin.css" in html


def test_queue_reads_in_a_fixed_number_of_queries(moderator, make_article, make_comment):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert moderator.get(f"{QUEUE}?status__exact=pending").status_code == 200
        return len(captured)

    make_comment(make_article(), "أول", status="pending")
    queries()  # the first request of a session also loads what later ones find cached
    few = queries()
    for n in range(5):
        make_comment(make_article(), f"تعليق {n}", status="pending")
    assert queries() == few


def test_queue_filters_by_article_and_state(moderator, queue, article):
    response = moderator.get(f"{QUEUE}?status__exact=pending&article__id__exact={article.pk}")
    assert _texts(response) == {"ينتظر القرار"}
    response = moderator.get(f"{QUEUE}?status__exact=published")
    assert _texts(response) == {"منشور من قبل"}
    html = moderator.get(f"{QUEUE}?status__exact=pending").content.decode()
    assert "مقال آخر عن الكهرباء" in html  # the article filter lists articles with comments


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "published"), ("reject", "rejected"), ("spam", "spam")],
)
def test_bulk_moderation_actions(moderator, queue, action, status):
    ids = [queue["pending"].pk, queue["pending_other"].pk]
    response = moderator.post(
        f"{QUEUE}?status__exact=pending", {"action": action, "_selected_action": ids}
    )
    assert response.status_code == 302
    for comment in Comment.objects.filter(pk__in=ids):
        assert comment.status == status
        assert comment.moderated_by == moderator.user


def test_approving_in_the_queue_updates_the_article_page(moderator, queue, article):
    page = moderator.get(article.get_absolute_url()).content.decode()
    assert "جميع التعليقات 1" in page and "ينتظر القرار" not in page
    moderator.post(
        QUEUE + "?status__exact=pending",
        {"action": "approve", "_selected_action": [queue["pending"].pk]},
    )
    page = moderator.get(article.get_absolute_url()).content.decode()
    assert "جميع التعليقات 2" in page and "ينتظر القرار" in page
    moderator.post(
        QUEUE + "?status__exact=published",
        {"action": "spam", "_selected_action": [queue["published"].pk]},
    )
    page = moderator.get(article.get_absolute_url()).content.decode()
    assert "جميع التعليقات 1" in page and "منشور من قبل" not in page


def test_status_changed_in_the_form_goes_through_moderation(moderator, queue):
    comment = queue["pending"]
    url = f"{QUEUE}{comment.pk}/change/"
    assert moderator.get(url).status_code == 200
    response = moderator.post(url, {"status": "published"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == ("published", moderator.user)
    assert comment.text == "ينتظر القرار"  # the reader's words are read-only


def test_bulk_delete_removes_comments(moderator, queue):
    ids = [queue["published"].pk]
    moderator.post(
        QUEUE + "?status__exact=published",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not Comment.objects.filter(pk__in=ids).exists()


def test_queue_shows_the_email_to_moderators_only(moderator, queue, article, make_comment):
    comment = make_comment(article, "مع بريد", email="reader@example.com", status="pending")
    assert "reader@example.com" in moderator.get(f"{QUEUE}{comment.pk}/change/").content.decode()


def test_comment_settings_are_in_the_site_settings_form(admin_client, site):
    html = admin_client.get("/admin/core/sitesettings/1/change/").content.decode()
    for field in (
        "comment_default_name",
        "comment_moderation",
        "comment_trusted_after",
        "comment_close_after_days",
        "comment_max_links",
        "comment_banned_words",
    ):
        assert f'name="{field}"' in html
    assert "التعليقات" in html


def test_article_form_has_the_comments_switch(admin_client):
    assert (
        'name="comments_open"' in admin_client.get("/admin/articles/article/add/").content.decode()
    )
