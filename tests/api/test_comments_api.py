"""GET and POST /api/v1/articles/{id}/comments: the web form's rules for JSON clients."""

import pytest

from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(make_article):
    return make_article()


def _post(client, article, ip="203.0.113.9", **fields):
    return client.post(
        f"/api/v1/articles/{article.pk}/comments",
        {"text": "تعليق من تطبيق", **fields},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def _comment(article, text, status=Comment.Status.PUBLISHED, **fields):
    return Comment.objects.create(
        article=article, text=text, status=status, text_key=text_key(text), **fields
    )


def test_thread_shows_published_comments_and_replies_without_emails(client, story):
    first = _comment(story, "أول تعليق", email="reader@example.com", ip_address="203.0.113.1")
    _comment(story, "رد منشور", parent=first, name="سارة")
    _comment(story, "ينتظر المراجعة", status=Comment.Status.PENDING)
    _comment(story, "مزعج", status=Comment.Status.SPAM)
    body = client.get(f"/api/v1/articles/{story.pk}/comments").json()
    assert body["count"] == 2 and body["open"] is True
    (top,) = body["results"]
    assert top["text"] == "أول تعليق" and top["name"] == "Anonymous"
    assert [(r["text"], r["name"]) for r in top["replies"]] == [("رد منشور", "سارة")]
    assert top["created_at"].endswith("+03:00")
    raw = str(body)
    assert "reader@example.com" not in raw and "203.0.113.1" not in raw


def test_post_waits_for_a_moderator_by_default(client, story):
    response = _post(client, story, name="علي", email="Ali@Example.com")
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "pending" and "المشرف" in body["message"]
    comment = Comment.objects.get(pk=body["id"])
    assert comment.email == "ali@example.com" and comment.ip_address == "203.0.113.9"


def test_post_is_published_at_once_in_post_moderation(client, story):
    site = SiteSettings.load()
    site.comment_moderation = SiteSettings.MODERATION_POST
    site.save()
    body = _post(client, story, text="  نص مع \u202eمحارف مخفية\u200b  ").json()
    assert body["status"] == "published"
    assert Comment.objects.get(pk=body["id"]).text == "نص مع محارف مخفية"
    thread = client.get(f"/api/v1/articles/{story.pk}/comments").json()
    assert thread["count"] == 1


def test_length_counts_the_cleaned_text_like_the_form(client, story):
    assert _post(client, story, text="ب" * 255 + "\u200b" * 10).status_code == 201
    response = _post(client, story, text="ب" * 256, ip="203.0.113.10")
    assert response.status_code == 422
    assert "255" in response.json()["message"]
    assert response.json()["detail"][0]["loc"] == ["body", "text"]


@pytest.mark.parametrize(
    "payload",
    [
        {"text": ""},
        {"text": "\u200b\u202e"},
        {"text": 5},
        {"email": "not-an-address"},
        {"email": "a\x00@example.com"},
        {"parent": "one"},
        {"name": "ن" * 61},
    ],
)
def test_invalid_comments_answer_422_with_a_message(client, story, payload):
    response = _post(client, story, **payload)
    assert response.status_code == 422, response.content
    assert response.json()["message"]
    assert not Comment.objects.exists()


def test_malformed_json_answers_400_json(client, story):
    response = client.post(
        f"/api/v1/articles/{story.pk}/comments", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["message"]


def test_closed_banned_and_duplicate_comments_are_refused_with_the_reason(client, story):
    site = SiteSettings.load()
    site.comment_banned_words = "كلمة ممنوعة"
    site.save()
    banned = _post(client, story, text="فيه كلمة ممنوعة هنا")
    assert banned.status_code == 400 and "ممنوعة" in banned.json()["message"]
    assert _post(client, story, text="مرة واحدة").status_code == 201
    duplicate = _post(client, story, text="مرة واحدة")
    assert duplicate.status_code == 409
    story.comments_open = False
    story.save()
    closed = _post(client, story, text="بعد الإغلاق")
    assert closed.status_code == 403 and "مغلقة" in closed.json()["message"]


def test_replies_to_a_missing_parent_are_refused(client, story):
    response = _post(client, story, parent=123456)
    assert response.status_code == 400 and response.json()["message"]


def test_rate_limit_per_ip_answers_429(client, story, settings):
    settings.COMMENTS_RATE_PER_IP = "2/m"
    assert _post(client, story, text="أول").status_code == 201
    assert _post(client, story, text="ثان").status_code == 201
    third = _post(client, story, text="ثالث")
    assert third.status_code == 429 and third.json()["message"]
    assert _post(client, story, text="من عنوان آخر", ip="198.51.100.4").status_code == 201


def test_no_csrf_token_needed(story):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, story).status_code == 201


@pytest.mark.parametrize("state", ["draft", "review", "unpublished", "scheduled"])
def test_hidden_articles_take_no_comments_and_show_none(client, paper, state):
    hidden = paper["hidden"][state]
    assert client.get(f"/api/v1/articles/{hidden.pk}/comments").status_code == 404
    assert _post(client, hidden).status_code == 404
    assert not Comment.objects.exists()
