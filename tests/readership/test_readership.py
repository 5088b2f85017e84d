"""Most read: views counted in the cache (no database write per view), flushed, listed."""

from datetime import datetime, timedelta

import pytest

from jarida.articles.models import Article
from jarida.readership import counting
from jarida.readership.models import HourlyViews

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2026-06-15T09:10:00+03:00")
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"


def _views(article) -> int:
    return sum(HourlyViews.objects.filter(article=article).values_list("views", flat=True))


def test_a_view_through_the_beacon_writes_nothing_to_the_database(
    client, make_article, django_assert_num_queries
):
    story = make_article()
    url = f"/readership/views/{story.pk}/"
    with django_assert_num_queries(0):
        response = client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 204
    with django_assert_num_queries(0):
        client.post(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.8")
    assert HourlyViews.objects.count() == 0  # nothing until the flush
    assert counting.flush(datetime.now().astimezone() + timedelta(minutes=3)) == 2
    assert _views(story) == 2


def test_the_beacon_answers_post_only(client, make_article):
    story = make_article()
    assert client.get(f"/readership/views/{story.pk}/").status_code == 405


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/120.0",
    ],
)
def test_bots_do_not_count(agent):
    assert not counting.record_view(1, "198.51.100.7", agent, T0)


def test_one_count_per_reader_per_article_per_hour(make_article):
    story, other = make_article(), make_article()
    ip = "198.51.100.7"
    assert counting.record_view(story.pk, ip, BROWSER, T0)
    assert not counting.record_view(story.pk, ip, BROWSER, T0 + timedelta(minutes=20))
    assert counting.record_view(other.pk, ip, BROWSER, T0)  # another article
    assert counting.record_view(story.pk, "198.51.100.9", BROWSER, T0)  # another reader
    assert counting.record_view(story.pk, ip, BROWSER, T0 + timedelta(hours=1))  # next hour
    counting.flush(T0 + timedelta(hours=1, minutes=5))
    assert _views(story) == 3
    assert _views(other) == 1


def test_reader_mark_hides_the_address_and_changes_every_hour():
    mark = counting.reader_mark("198.51.100.7", BROWSER, T0, 5)
    assert "198.51.100.7" not in mark
    assert mark != counting.reader_mark("198.51.100.7", BROWSER, T0 + timedelta(hours=1), 5)


def test_flush_takes_closed_minutes_once(make_article):
    story = make_article()
    counting.record_view(story.pk, "198.51.100.1", BROWSER, T0)
    counting.record_view(story.pk, "198.51.100.2", BROWSER, T0 + timedelta(minutes=5))
    # At T0+6: only the minute of T0 is closed; the latest one may still be counting.
    assert counting.flush(T0 + timedelta(minutes=6)) == 1
    assert counting.flush(T0 + timedelta(minutes=6)) == 0  # nothing counted twice
    assert counting.flush(T0 + timedelta(minutes=9)) == 1
    assert _views(story) == 2


def test_beacon_for_no_article_is_dropped_at_the_flush(make_article):
    counting.record_view(987654, "198.51.100.1", BROWSER, T0)
    assert counting.flush(T0 + timedelta(minutes=3)) == 0
    assert HourlyViews.objects.count() == 0


def test_most_read_windows_and_block(client, make_article):
    a, b, c = make_article(), make_article(), make_article()
    now = datetime.now().astimezone()
    # b: read a lot yesterday (30 hours ago); a: read today; c: read once today.
    for n in range(5):
        counting.record_view(b.pk, f"203.0.113.{n}", BROWSER, now - timedelta(hours=30))
    for n in range(3):
        counting.record_view(a.pk, f"203.0.113.{n}", BROWSER, now - timedelta(hours=2))
    counting.record_view(c.pk, "203.0.113.99", BROWSER, now - timedelta(hours=2))
    counting.flush(now)
    top = counting.most_read()
    assert [item["id"] for item in top["day"]] == [a.pk, c.pk]
    assert [item["id"] for item in top["week"]] == [b.pk, a.pk, c.pk]
    for url in ("/", a.section.get_absolute_url(), c.get_absolute_url()):
        html = client.get(url).content.decode()
        block = html[html.index('<section class="most-read"') :]
        block = block[: block.index("</section>")]
        assert "الأكثر قراءة" in block, url
        assert block.index(a.title) < block.index(c.title)


def test_unpublished_story_leaves_most_read_at_once(
    client, make_article, django_capture_on_commit_callbacks
):
    story = make_article(title="خبر سيُسحب من النشر")
    counting.record_view(story.pk, "203.0.113.5", BROWSER, datetime.now().astimezone())
    counting.flush(datetime.now().astimezone() + timedelta(minutes=3))
    assert counting.most_read()["day"]
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.UNPUBLISHED
        story.save()
    assert counting.most_read()["day"] == []
