"""The demo paper is dated by each story's age before loading, never by a clock time."""

import tomllib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from jarida.articles.models import Article
from jarida.demo.loader import CONTENT_DIR, KEY_PREFIX, article_files, load_demo, parse_age


def written_age(article) -> timedelta:
    key = article.external_id.removeprefix(KEY_PREFIX)
    item = tomllib.loads((CONTENT_DIR / "articles" / f"{key}.toml").read_text())
    return parse_age(item["age"])


@pytest.mark.django_db
def test_every_demo_story_is_published_when_loaded_just_after_midnight():
    # 00:30 is before any clock time a story could have been given "today".
    when = datetime(2026, 3, 1, 0, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(when, tick=False):
        load_demo()
        assert Article.objects.published().count() == len(article_files()) == 42
        for article in Article.objects.all():
            assert when - article.published_at == written_age(article)


def test_a_story_age_reads_days_hours_and_minutes():
    assert parse_age("2d 5h 40m") == timedelta(days=2, hours=5, minutes=40)
    assert parse_age("50m") == timedelta(minutes=50)
    with pytest.raises(ValueError, match="08:20"):
        parse_age("08:20")
