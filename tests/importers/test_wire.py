"""Wire ingest from feeds served on 127.0.0.1: RSS, Atom, ninjs, duplicates, failures, safety."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jarida.articles.models import Agency, Article
from jarida.desk.models import WireFeed, WireItem
from jarida.importers import fetch, wire
from jarida.importers.fetch import FetchError

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>AP</title><language>en</language>
<item><guid>ap-1</guid><title>Rain in Baghdad</title><link>https://ap.example/1</link>
<description>&lt;p&gt;Heavy rain fell.&lt;/p&gt;</description>
<pubDate>Mon, 03 Aug 2015 09:40:00 GMT</pubDate></item>
<item><guid>ap-2</guid><title>Oil exports rise</title><description>Basra port.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>AFP</title><id>afp</id>
<entry><id>urn:afp:9</id><title>Rain in  Baghdad</title><updated>2015-08-03T10:00:00Z</updated>
<content type="html">&lt;p&gt;Heavy rain fell.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;
</content></entry>
<entry><id>urn:afp:10</id><title>Dates harvest</title><updated>2015-08-03T11:00:00Z</updated>
<summary>Palm groves in Basra.</summary></entry></feed>"""

NINJS = json.dumps(
    [
        {
            "uri": "urn:reuters:1",
            "headline": "Talks on water resume",
            "body_text": "First paragraph.\nSecond paragraph.",
            "versioncreated": "2015-08-03T12:00:00+00:00",
            "language": "en",
        },
        {"uri": "urn:reuters:2", "body_text": "A story without a headline."},
    ]
).encode()

BOMB = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><item><guid>x</guid><title>&c;</title></item></channel></rss>"""


@pytest.fixture
def agency(db):
    return Agency.objects.create(name="اسوشيتدبرس", name_en="Associated Press", slug="ap")


@pytest.fixture
def feeds(local_server, agency, settings):
    """Five configured feeds on the test's server; private addresses allowed for it."""
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    base, routes = local_server
    routes |= {
        "/rss": (200, {"Content-Type": "application/rss+xml"}, RSS),
        "/atom": (200, {"Content-Type": "application/atom+xml"}, ATOM),
        "/ninjs": (200, {"Content-Type": "application/json"}, NINJS),
        "/broken": (200, {"Content-Type": "application/rss+xml"}, RSS[:-30]),
        "/bomb": (200, {"Content-Type": "application/rss+xml"}, BOMB),
    }

    def feed(name, path, format=WireFeed.Format.RSS):
        return WireFeed.objects.create(name=name, url=base + path, format=format, agency=agency)

    return [
        feed("AP", "/rss"),
        feed("AFP", "/atom", WireFeed.Format.ATOM),
        feed("Reuters", "/ninjs", WireFeed.Format.NINJS),
        feed("Broken", "/broken"),
        feed("Bomb", "/bomb"),
    ]


def test_feeds_land_in_the_desk_queue_deduplicated(feeds):
    results = {r.feed.name: r for r in wire.fetch_feeds()}  # fetched by name: AFP first
    assert (results["AFP"].new, results["AFP"].duplicates) == (2, 0)
    # AP's first story is AFP's (same words, other spacing): a duplicate by content hash.
    assert (results["AP"].new, results["AP"].duplicates) == (1, 1)
    assert results["Reuters"].new == 1
    assert results["Reuters"].failures == [{"item": "urn:reuters:2", "reason": "missing title"}]
    assert WireItem.objects.count() == 4
    assert Article.objects.count() == 0  # never published directly

    rain = WireItem.objects.get(guid="urn:afp:9")
    assert rain.body == "<p>Heavy rain fell.</p>"  # sanitised: the script is gone
    assert rain.original_published_at.isoformat() == "2015-08-03T10:00:00+00:00"
    assert WireItem.objects.get(guid="ap-2").original_published_at is None
    assert WireItem.objects.get(guid="urn:reuters:1").body == (
        "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    )

    again = {r.feed.name: r for r in wire.fetch_feeds()}
    assert (again["AP"].new, again["AP"].duplicates, again["AFP"].duplicates) == (0, 2, 2)
    assert WireItem.objects.count() == 4


def test_a_failing_feed_is_recorded_and_never_stops_the_others(feeds):
    results = {r.feed.name: r for r in wire.fetch_feeds()}
    assert results["Broken"].error.startswith("malformed XML at line")
    assert "refused" in results["Bomb"].error and "Entities" in results["Bomb"].error
    broken = WireFeed.objects.get(name="Broken")
    assert broken.last_error == results["Broken"].error and broken.last_fetched_at
    assert WireFeed.objects.get(name="AP").last_error == ""
    assert not WireItem.objects.filter(feed__name__in=["Broken", "Bomb"]).exists()


def test_private_addresses_are_refused_unless_allowed(feeds, settings):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = False
    result = wire.fetch_feed(feeds[0])
    assert result.error.startswith("refused: 127.0.0.1 resolves to a private")
    with pytest.raises(FetchError, match="private or reserved address"):
        fetch.fetch("http://10.0.0.1/feed")
    with pytest.raises(FetchError, match="private or reserved address"):
        fetch.fetch("http://[::1]/feed")


def test_each_redirect_is_checked_again(local_server, monkeypatch):
    base, routes = local_server
    routes["/hop"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    # Only the test server counts as public here: the redirect's target must be refused.
    monkeypatch.setattr(fetch, "_allowed", lambda address, allow: address == "127.0.0.1")
    with pytest.raises(FetchError, match=r"169\.254\.169\.254"):
        fetch.fetch(base + "/hop")


def test_oversized_bodies_and_other_schemes_are_refused(local_server, settings):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    base, routes = local_server
    routes["/big"] = (200, {}, b"x" * 2048)
    with pytest.raises(FetchError, match="over the 1024-byte cap"):
        fetch.fetch(base + "/big", max_bytes=1024)
    with pytest.raises(FetchError, match="not an http"):
        fetch.fetch("file:///etc/passwd")


def test_command_reports_each_feed_and_fails_when_one_failed(feeds, capsys):
    with pytest.raises(CommandError) as error:
        call_command("fetch_wire_feeds")
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "AP: 1 new, 1 duplicate" in out and "Broken: failed: malformed XML" in out
    WireFeed.objects.filter(name__in=["Broken", "Bomb"]).update(is_active=False)
    call_command("fetch_wire_feeds")
    assert "AP: 0 new, 2 duplicate" in capsys.readouterr().out


def test_the_workers_fetch_the_wire_on_the_schedule(feeds, run_tasks, settings):
    from datetime import timedelta

    from django.utils import timezone

    from jarida.importers.models import ImportRun
    from jarida.tasks import schedule

    settings.JARIDA_TASKS_SCHEDULE = {
        "fetch_wire_feeds": ("jarida.desk.tasks.fetch_wire_feeds", 600)
    }
    now = timezone.now()
    assert schedule.tick(now) == ["fetch_wire_feeds"]
    assert not WireItem.objects.exists()  # enqueued, not fetched in the tick
    assert run_tasks() == 1
    first = WireItem.objects.count()
    assert first > 0
    assert ImportRun.objects.filter(kind=ImportRun.Kind.WIRE).count() == 1
    assert schedule.tick(now + timedelta(minutes=5)) == []  # not due yet
    assert schedule.tick(now + timedelta(minutes=11)) == ["fetch_wire_feeds"]
    run_tasks()  # the second run finds only what it already has
    assert WireItem.objects.count() == first
    assert ImportRun.objects.filter(kind=ImportRun.Kind.WIRE).count() == 2
