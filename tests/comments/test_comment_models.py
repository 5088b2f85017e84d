"""The database holds the 255 limit itself, counting characters, on SQLite and PostgreSQL."""

import pytest
from django.db import DataError, IntegrityError, transaction

from jarida.comments.models import Comment

pytestmark = pytest.mark.django_db


# PostgreSQL's varchar(255) answers first (DataError); SQLite has only the CHECK.
REFUSED = (IntegrityError, DataError)


def _store(article, text):
    with transaction.atomic():
        return Comment.objects.create(article=article, text=text, text_key="k")


def test_database_stores_255_four_byte_characters(article):
    comment = _store(article, "😀" * 255)
    comment.refresh_from_db()
    assert len(comment.text) == 255


@pytest.mark.parametrize("text", ["ب" * 256, "😀" * 256, ""])
def test_database_refuses_texts_outside_the_limit(article, text):
    with pytest.raises(REFUSED):
        _store(article, text)


def test_database_refuses_an_update_past_the_limit(article):
    comment = _store(article, "قصير")
    with pytest.raises(REFUSED), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(text="ك" * 300)
