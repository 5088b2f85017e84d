"""Counting page views cheaply: in the cache on the request, in the database once a minute.

A view is recorded by the article page's beacon (reader.js posts it after the page,
cached or not, has loaded), so counting works on pages served from the page cache.

* Bots do not count: a user agent naming a crawler, a preview fetcher or an HTTP library
  (or no user agent at all) is ignored.
* One count per reader per article per hour, without cookies: the reader is an HMAC of
  (IP address, user agent, hour, article) keyed with a secret salt, kept only as a cache
  key that expires with the hour; the address itself is stored nowhere.
* The request touches only the cache: a counter per (minute, article), and a numbered
  index of the articles seen in that minute. `flush()` (the `flush_readership` command,
  or the task of the same name) adds closed minutes to `HourlyViews` and drops them.
"""

import hashlib
import hmac
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|scanner|monitor"
    r"|headless|lighthouse|pingdom|curl|wget|python-|httpclient|okhttp|go-http|java/"
    r"|libwww|scrapy|feedfetcher|mediapartners",
    re.IGNORECASE,
)
#: Buffered minutes are kept this long: a flush down for a day loses nothing.
BUFFER_SECONDS = 2 * 24 * 3600
WINDOWS = {"day": timedelta(hours=24), "week": timedelta(days=7)}
TOP_KEY = "readership:top"


def buffer():
    return caches["readership"]


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def reader_mark(ip: str, user_agent: str, moment: datetime, article_id: int) -> str:
    """The reader's mark for this article this hour: unlinkable once the hour is over."""
    hour = moment.astimezone(UTC).strftime("%Y%m%d%H")
    message = f"{ip}\n{user_agent}\n{hour}\n{article_id}".encode()
    salt = settings.JARIDA_READERSHIP_SALT.encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]


def record_view(article_id: int, ip: str, user_agent: str, now: datetime | None = None) -> bool:
    """Count one view in the cache; False when it does not count (bot, or counted already)."""
    if is_bot(user_agent) or article_id <= 0:
        return False
    now = now or timezone.now()
    store = buffer()
    seconds_left = 3600 - (now.minute * 60 + now.second) + 60
    if not store.add(f"seen:{reader_mark(ip, user_agent, now, article_id)}", 1, seconds_left):
        return False
    minute = minute_of(now)
    counter = f"n:{minute}:{article_id}"
    if store.add(counter, 1, BUFFER_SECONDS):
        # First view of this article this minute: give it a slot in the minute's index.
        store.add(f"size:{minute}", 0, BUFFER_SECONDS)
        slot = store.incr(f"size:{minute}")
        store.set(f"at:{minute}:{slot}", article_id, BUFFER_SECONDS)
    else:
        store.incr(counter)
    return True


def _hour_of_minute(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC).replace(minute=0, second=0, microsecond=0)


def flush(now: datetime | None = None) -> int:
    """Write every closed buffered minute to `HourlyViews`; return the views written.

    Only minutes at least one whole minute old are taken, so no request is still adding
    to them. A lock in the cache keeps two flushes from writing the same minute twice.
    """
    from jarida.articles.models import Article
    from jarida.readership.models import HourlyViews

    now = now or timezone.now()
    store = buffer()
    if not store.add("flush-lock", 1, 300):
        return 0
    try:
        newest = minute_of(now) - 2
        last = store.get("flushed-through") or newest - BUFFER_SECONDS // 60
        minutes = list(range(max(last + 1, newest - BUFFER_SECONDS // 60), newest + 1))
        sizes = store.get_many([f"size:{m}" for m in minutes])
        totals: Counter = Counter()
        done_keys = list(sizes)
        for size_key, size in sizes.items():
            minute = int(size_key.split(":")[1])
            slots = store.get_many([f"at:{minute}:{i}" for i in range(1, size + 1)])
            counters = store.get_many([f"n:{minute}:{pk}" for pk in slots.values()])
            for pk in slots.values():
                totals[(pk, _hour_of_minute(minute))] += counters.get(f"n:{minute}:{pk}", 0)
            done_keys += [*slots, *counters]
        existing = set(
            Article.objects.filter(pk__in={pk for pk, _ in totals}).values_list("pk", flat=True)
        )
        written = 0
        with transaction.atomic():
            for (pk, hour), views in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0])):
                if pk not in existing or not views:
                    continue  # a beacon for an id that is no article: nothing to keep
                updated = HourlyViews.objects.filter(article_id=pk, hour=hour).update(
                    views=F("views") + views
                )
                if not updated:
                    HourlyViews.objects.create(article_id=pk, hour=hour, views=views)
                written += views
            transaction.on_commit(lambda: store.delete_many(done_keys))
        store.set("flushed-through", newest, None)
        refresh_top(now)
        return written
    finally:
        store.delete("flush-lock")


def top_ids(since: datetime, limit: int) -> list[int]:
    """The most read visible articles since `since`, most views first."""
    from jarida.articles.models import is_public
    from jarida.readership.models import HourlyViews

    rows = (
        HourlyViews.objects.filter(hour__gte=since)
        .filter(is_public(prefix="article__"))
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:limit]
    )
    return [row["article_id"] for row in rows]


def refresh_top(now: datetime | None = None) -> dict[str, list[dict]]:
    """Work out both windows' lists and keep them, titles and links included, for the block:
    pages print it from the cache without a query. Any article saved or deleted drops the
    stored lists (signals), so an unpublished story leaves the block at once."""
    from jarida.articles.models import Article

    now = now or timezone.now()
    size = settings.JARIDA_READERSHIP_BLOCK_SIZE
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    ids = {name: top_ids(hour - span + timedelta(hours=1), size) for name, span in WINDOWS.items()}
    wanted = {pk for found in ids.values() for pk in found}
    stories = Article.objects.filter(pk__in=wanted).select_related("section").in_bulk()
    top = {
        name: [
            {
                "id": pk,
                "title": stories[pk].title,
                "url": stories[pk].get_absolute_url(),
                "sponsored": stories[pk].sponsored,
            }
            for pk in found
            if pk in stories
        ]
        for name, found in ids.items()
    }
    buffer().set(TOP_KEY, top, BUFFER_SECONDS)
    return top


def forget_top(**kwargs) -> None:
    buffer().delete(TOP_KEY)


def most_read() -> dict[str, list[dict]]:
    """The stored lists (worked out at the last flush); computed once when missing."""
    top = buffer().get(TOP_KEY)
    return top if top is not None else refresh_top()
