"""Comment fixtures: an article open for comments, a poster that passes the bot checks."""

import time

import pytest

from jarida.comments.forms import sign_started
from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.core.models import SiteSettings


@pytest.fixture
def article(make_article):
    return make_article()


@pytest.fixture
def site(db):
    """The site settings row; change fields and call .save()."""
    return SiteSettings.load()


@pytest.fixture
def post_comment(client):
    """POST the comment form the way a reader does: a stamp older than the fill time."""

    def post(article, text="تعليق تجريبي", *, client=client, ip="203.0.113.7", **fields):
        data = {"text": text, "name": "", "email": "", "parent": "", "website": ""}
        data["started"] = sign_started(time.time() - 60)
        data |= fields
        return client.post(f"/comments/post/{article.pk}/", data, REMOTE_ADDR=ip)

    return post


@pytest.fixture
def make_comment(db):
    def make(article, text="تعليق منشور", status=Comment.Status.PUBLISHED, **fields):
        return Comment.objects.create(
            article=article, text=text, status=status, text_key=text_key(text), **fields
        )

    return make
