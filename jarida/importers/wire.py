"""Wire ingest: fetch each configured agency feed, parse it safely, queue new stories.

Stories land in the translation desk's queue (`desk.WireItem`), never as articles.
A story already queued from the same feed (same GUID or ninjs `uri`), or with the same
text from any feed (sha256 of the normalised title and body), is a duplicate. Each feed
is fetched in its own try: a failing feed records its error and the others go on.
"""

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

import feedparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from jarida.comments.services import text_key
from jarida.core.text import clean_text, sanitize_html
from jarida.desk.models import WireFeed, WireItem
from jarida.importers.fetch import fetch

if TYPE_CHECKING:
    from jarida.importers.runs import ImportReport


class FeedError(Exception):
    """The feed could not be read as a whole; the message says why."""


@dataclass
class Story:
    guid: str
    title: str
    body: str = ""
    url: str = ""
    language: str = ""
    published_at: datetime | None = None


@dataclass
class FeedResult:
    feed: WireFeed
    new: int = 0
    duplicates: int = 0
    failures: list[dict] = field(default_factory=list)
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"{self.feed.name}: failed: {self.error}"
        text = f"{self.feed.name}: {self.new} new, {self.duplicates} duplicate"
        return text + (f", {len(self.failures)} items refused" if self.failures else "")


def content_hash(title: str, body: str) -> str:
    """The same story from two feeds: the normalised title and text, hashed."""
    return text_key(f"{title}\n{strip_tags(body)}")


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{escape(p.strip())}</p>" for p in text.splitlines() if p.strip())


def _struct_time(value) -> datetime | None:
    return datetime(*value[:6], tzinfo=UTC) if value else None


def parse_xml_feed(body: bytes) -> list[Story]:
    """RSS 2.0 or Atom, refused outright when it declares entities or external references."""
    try:
        # feedparser on its own expands entity bombs: defusedxml vets the bytes first.
        SafeElementTree.fromstring(body, forbid_dtd=False)
    except DefusedXmlException as error:
        raise FeedError(f"refused: {type(error).__name__} (entities are not allowed)") from None
    except SafeElementTree.ParseError as error:
        line, column = error.position
        raise FeedError(f"malformed XML at line {line}, column {column}") from None
    parsed = feedparser.parse(body)
    stories = []
    for entry in parsed.entries:
        content = entry.get("content") or []
        stories.append(
            Story(
                guid=(entry.get("id") or entry.get("link") or "").strip(),
                title=clean_text(strip_tags(entry.get("title", ""))),
                body=content[0].get("value", "") if content else entry.get("summary", ""),
                url=entry.get("link", ""),
                language=entry.get("language", "") or parsed.feed.get("language", ""),
                published_at=_struct_time(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
            )
        )
    return stories


def _ninjs_story(item: dict) -> Story:
    headline = item.get("headline") or next(
        (h.get("value", "") for h in item.get("headlines", []) if isinstance(h, dict)), ""
    )
    body = item.get("body_html") or _paragraphs(item.get("body_text", ""))
    if not body:  # ninjs 2: bodies: [{"contenttype": "text/html", "value": …}]
        bodies = [b for b in item.get("bodies", []) if isinstance(b, dict)]
        html = next((b["value"] for b in bodies if "html" in b.get("contenttype", "")), "")
        body = html or _paragraphs(next((b.get("value", "") for b in bodies), ""))
    published = item.get("versioncreated") or item.get("firstcreated")
    try:
        published_at = datetime.fromisoformat(published) if published else None
    except (TypeError, ValueError):
        published_at = None
    return Story(
        guid=str(item.get("uri", "")).strip(),
        title=clean_text(str(headline)),
        body=body,
        url=next(
            (link.get("href", "") for link in item.get("links", []) if isinstance(link, dict)), ""
        ),
        language=str(item.get("language", "")),
        published_at=published_at,
    )


def parse_ninjs(body: bytes) -> list[Story]:
    """IPTC ninjs: one item, a list of items, or `{"items": [...]}`."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"not JSON: {error}") from None
    items = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FeedError("ninjs: expected an item, a list of items or {'items': [...]}")
    return [_ninjs_story(item) if isinstance(item, dict) else Story("", "") for item in items]


def parse(feed: WireFeed, body: bytes) -> list[Story]:
    return parse_ninjs(body) if feed.format == WireFeed.Format.NINJS else parse_xml_feed(body)


@transaction.atomic
def queue_stories(feed: WireFeed, stories: list[Story], result: FeedResult) -> None:
    """Add the new stories to the desk's queue; count duplicates; report incomplete items."""
    for number, story in enumerate(stories, 1):
        if missing := [name for name in ("guid", "title") if not getattr(story, name)]:
            result.failures.append(
                {"item": story.guid or f"item {number}", "reason": f"missing {', '.join(missing)}"}
            )
            continue
        guid = (
            story.guid
            if len(story.guid) <= 500
            else hashlib.sha256(story.guid.encode()).hexdigest()
        )
        body = sanitize_html(story.body)
        digest = content_hash(story.title, body)
        if (
            WireItem.objects.filter(feed=feed, guid=guid).exists()
            or WireItem.objects.filter(content_hash=digest).exists()
        ):
            result.duplicates += 1
            continue
        WireItem.objects.create(
            feed=feed,
            guid=guid,
            url=story.url if len(story.url) <= 1000 else "",
            title=story.title[:500],
            body=body,
            language=(story.language or feed.language)[:16],
            content_hash=digest,
            original_published_at=story.published_at,
        )
        result.new += 1


def fetch_feed(feed: WireFeed, total_timeout: float | None = None) -> FeedResult:
    """Fetch, parse and queue one feed; its error (if any) is kept on the feed."""
    result = FeedResult(feed)
    try:
        if total_timeout is not None and total_timeout <= 0:
            raise FeedError("not fetched: this run's time was up (JARIDA_WIRE_RUN_TIMEOUT)")
        queue_stories(feed, parse(feed, fetch(feed.url, total_timeout=total_timeout).body), result)
    except Exception as error:  # a failing feed never stops the others
        result.error = str(error) or type(error).__name__
    feed.last_fetched_at = timezone.now()
    feed.last_error = result.error
    feed.save(update_fields=["last_fetched_at", "last_error"])
    return result


def fetch_feeds(feeds: Iterable[WireFeed] | None = None) -> list[FeedResult]:
    """Every active feed (or the ones given), each on its own, all within the run's time
    (`settings.JARIDA_WIRE_RUN_TIMEOUT`): scheduled runs never pile up behind a slow feed.

    Each fetch has the fetch cap or what is left of the run's time, whichever is less; a
    feed reached after the run's time is up is recorded as not fetched (next run)."""
    if feeds is None:
        feeds = WireFeed.objects.filter(is_active=True).select_related("agency")
    deadline = time.monotonic() + settings.JARIDA_WIRE_RUN_TIMEOUT
    results = []
    for feed in feeds:
        left = deadline - time.monotonic()
        results.append(fetch_feed(feed, min(settings.JARIDA_FETCH_TOTAL_TIMEOUT, left)))
    return results


def fetch_and_record(feed_ids: list[int] | None = None) -> tuple["ImportReport", list[FeedResult]]:
    """Fetch the active feeds (or the ones given) as one recorded ImportRun.

    The one code path for `manage.py fetch_wire_feeds`, the admin's "fetch now" and the
    periodic task (jarida.desk.tasks.fetch_wire_feeds).
    """
    from jarida.importers.models import ImportRun
    from jarida.importers.runs import ImportReport, recorded_run

    feeds = WireFeed.objects.filter(is_active=True).select_related("agency")
    if feed_ids:
        feeds = feeds.filter(pk__in=feed_ids)
    report = ImportReport()
    results = []
    with recorded_run(ImportRun.Kind.WIRE, "wire feeds", report):
        for result in fetch_feeds(feeds):
            results.append(result)
            report.created += result.new
            report.skipped += result.duplicates
            report.tally[f"{result.feed.name}: new"] += result.new
            for failure in result.failures:
                report.warn(f"{result.feed.name}: {failure['item']}", failure["reason"])
            if result.error:
                report.fail(result.feed.name, result.error)
    return report, results
