"""Choosing creatives for cached pages, signed click addresses, buffered counting.

How a creative is chosen on a cached page
    A page holds *every* creative eligible for each of its slots: running now, or starting
    before the page can leave the cache (JARIDA_PAGE_CACHE_SECONDS). Each carries its start,
    end and weight. The server marks one running creative (a weighted draw at render time)
    as shown, so a reader without JavaScript sees a paid slot too; reader.js then draws
    again for this reader among the creatives whose [start, end) holds the current time,
    so two readers of one cached page see the campaigns in their weights' proportions.

How start and end reach cached pages on time
    In the browser, by the times carried on each creative (checked at load). On the
    server, `next_change_time()` is the next start or end of any campaign: the page cache
    must not keep a page past it (the edge helper's page_cache uses it, as it does for the
    next scheduled article), and the creatives list itself is recomputed after it.
"""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

CREATIVES_KEY = "sponsorship:creatives:v1"
CLICK_SALT = "jarida.sponsorship.click"
BUFFER_SECONDS = 2 * 24 * 3600


def _running_creatives(now: datetime):
    """Creatives of active campaigns not yet over, whose sponsored story (if any) is
    published: a draft or unpublished story is never promoted."""
    from jarida.articles.models import Article
    from jarida.sponsorship.models import Creative

    return Creative.objects.filter(campaign__active=True, campaign__ends_at__gt=now).filter(
        Q(article__isnull=True) | Q(article__status=Article.Status.PUBLISHED)
    )


def _eligible_rows(now: datetime) -> list[dict]:
    rows = []
    creatives = (
        _running_creatives(now)
        .select_related(
            "campaign", "placement", "image", "article__section", "article__featured_image"
        )
        .prefetch_related("campaign__sections")
    )
    for c in creatives:
        row = {
            "id": c.pk,
            "campaign": c.campaign_id,
            "position": c.placement.position,
            "after_paragraph": c.placement.after_paragraph,
            "starts": c.campaign.starts_at,
            "ends": c.campaign.ends_at,
            "sections": {s.pk for s in c.campaign.sections.all()},
            "weight": max(c.campaign.weight * c.weight, 1),
            "article": None,
        }
        if c.article_id:
            # A sponsored story: its card (title, picture, excerpt), from its own start
            # when it is published after the campaign's.
            story = c.article
            row["starts"] = max(row["starts"], story.published_at)
            picture = story.featured_image
            row["article"] = {
                "title": story.title,
                "excerpt": story.excerpt(),
                "image": picture.file.url if picture else "",
                "width": picture.width if picture else None,
                "height": picture.height if picture else None,
            }
            row["click"] = click_url(c.pk, story.get_absolute_url())
        else:
            row |= {
                "image": c.image.file.url,
                "width": c.image.width,
                "height": c.image.height,
                "alt": c.alt_text,
                "click": click_url(c.pk, c.link_url),
            }
        if row["starts"] < row["ends"]:
            rows.append(row)
    return rows


def all_creatives(now: datetime | None = None) -> list[dict]:
    """Every creative of an active campaign not yet over, from the cache (no query)."""
    now = now or timezone.now()
    stored = cache.get(CREATIVES_KEY)
    if stored is None or (stored["until"] is not None and stored["until"] <= now):
        rows = _eligible_rows(now)
        until = next_change_time(now, rows)
        stored = {"rows": rows, "until": until}
        cache.set(CREATIVES_KEY, stored, 3600)
    return stored["rows"]


def next_change_cached(now: datetime | None = None) -> datetime | None:
    """`next_change_time`, read from the creatives' cache entry (no query when warm): what
    the page cache registers, so no page outlives a campaign's start or end."""
    all_creatives(now)
    stored = cache.get(CREATIVES_KEY)
    return stored["until"] if stored is not None else next_change_time(now)


def forget_creatives(**kwargs) -> None:
    cache.delete(CREATIVES_KEY)


def next_change_time(now: datetime | None = None, rows=None) -> datetime | None:
    """The next moment a campaign starts or ends, or a sponsored story of a running
    campaign comes out: no cached page may outlive it. `rows`, the creatives list just
    read (`_eligible_rows`), holds the stories' starts: no second query then."""
    from jarida.sponsorship.models import Campaign

    now = now or timezone.now()
    campaigns = Campaign.objects.filter(active=True, ends_at__gt=now)
    times = [t for pair in campaigns.values_list("starts_at", "ends_at") for t in pair if t > now]
    if rows is None:
        stories = _running_creatives(now).filter(article__published_at__gt=now)
        times += stories.values_list("article__published_at", flat=True)
    else:
        times += [r["starts"] for r in rows if r["article"] and r["starts"] > now]
    return min(times, default=None)


def sync_sponsored() -> set[int]:
    """`Article.sponsored` from the creatives, the flag's one writer: set on every story a
    creative names, cleared on any other. Returns the stories whose flag changed.

    Two small updates (the partial index `article_sponsored_idx` finds the flagged few);
    run after any creative or campaign change, in its transaction. What shows a story's
    cards is refreshed after the commit: the stored related cards and most-read lists
    holding it (every cached page is dropped by the campaign change itself)."""
    from jarida.articles.models import Article
    from jarida.sponsorship.models import Creative

    named = Creative.objects.filter(article__isnull=False).values("article_id")
    to_clear = Article.objects.filter(sponsored=True).exclude(pk__in=named)
    to_set = Article.objects.filter(pk__in=named, sponsored=False)
    changed = set(to_clear.values_list("pk", flat=True)) | set(to_set.values_list("pk", flat=True))
    if changed:
        to_clear.update(sponsored=False)
        to_set.update(sponsored=True)
        transaction.on_commit(lambda: _forget_cards_of(changed))
    return changed


def _forget_cards_of(article_ids: set[int]) -> None:
    from jarida.readership.counting import forget_top
    from jarida.related.services import forget_cards_showing

    for pk in article_ids:
        forget_cards_showing(pk)
    forget_top()


def slot(position: str, section_id: int | None, now: datetime | None = None) -> dict | None:
    """What a slot prints: its eligible creatives (running, or starting before the page can
    leave the cache) and the one shown without JavaScript; None when the slot is empty."""
    now = now or timezone.now()
    horizon = now + timedelta(seconds=settings.JARIDA_PAGE_CACHE_SECONDS)
    rows = [
        r
        for r in all_creatives(now)
        if r["position"] == position
        and r["starts"] <= horizon
        and r["ends"] > now
        and (not r["sections"] or section_id in r["sections"])
    ]
    running = [r for r in rows if r["starts"] <= now]
    if not running and not rows:
        return None
    shown = random.choices(running, [r["weight"] for r in running])[0] if running else None
    return {"creatives": rows, "shown": shown}


def click_url(creative_id: int, target: str) -> str:
    from django.urls import reverse

    token = signing.dumps({"c": creative_id, "u": target}, salt=CLICK_SALT, compress=True)
    return reverse("sponsorship:click", args=[token])


def click_target(token: str) -> tuple[int, str] | None:
    """(creative id, target) of a signed click address; None when forged or altered."""
    try:
        data = signing.loads(token, salt=CLICK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    target = data.get("u", "")
    if not isinstance(target, str) or not isinstance(data.get("c"), int):
        return None
    # The web, or a path on this site (a sponsored story): never `//host` nor `/\\host`.
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if not (local or target.startswith(("https://", "http://"))):
        return None
    return data["c"], target


# Counting: a counter per (kind, minute, creative) in the cache, written by flush().
def _buffer():
    return caches["readership"]


def record(kind: str, creative_id: int, now: datetime | None = None) -> None:
    """One impression or click, in the cache only (no database write per view)."""
    now = now or timezone.now()
    store = _buffer()
    minute = int(now.timestamp() // 60)
    counter = f"ad:n:{minute}:{kind}:{creative_id}"
    if store.add(counter, 1, BUFFER_SECONDS):
        store.add(f"ad:size:{minute}", 0, BUFFER_SECONDS)
        slot_number = store.incr(f"ad:size:{minute}")
        store.set(f"ad:at:{minute}:{slot_number}", [kind, creative_id], BUFFER_SECONDS)
    else:
        store.incr(counter)


def flush(now: datetime | None = None) -> int:
    """Add closed buffered minutes to DailyStats (days in the site's time zone)."""
    from jarida.sponsorship.models import Creative, DailyStats

    now = now or timezone.now()
    store = _buffer()
    if not store.add("ad:flush-lock", 1, 300):
        return 0
    try:
        newest = int(now.timestamp() // 60) - 2
        last = store.get("ad:flushed-through") or newest - BUFFER_SECONDS // 60
        minutes = range(max(last + 1, newest - BUFFER_SECONDS // 60), newest + 1)
        sizes = store.get_many([f"ad:size:{m}" for m in minutes])
        totals: Counter = Counter()
        done = list(sizes)
        for key, size in sizes.items():
            minute = int(key.split(":")[2])
            entries = store.get_many([f"ad:at:{minute}:{i}" for i in range(1, size + 1)])
            keys = {f"ad:n:{minute}:{k}:{c}": (k, c) for k, c in entries.values()}
            counts = store.get_many(list(keys))
            day = timezone.localdate(datetime.fromtimestamp(minute * 60, UTC))
            for key_name, (kind, creative) in keys.items():
                totals[(creative, day, kind)] += counts.get(key_name, 0)
            done += [*entries, *counts]
        campaigns = dict(
            Creative.objects.filter(pk__in={c for c, _, _ in totals}).values_list(
                "pk", "campaign_id"
            )
        )
        written = 0
        with transaction.atomic():
            for (creative, day, kind), n in sorted(totals.items()):
                if creative not in campaigns or not n:
                    continue
                field = "clicks" if kind == "click" else "impressions"
                updated = DailyStats.objects.filter(creative_id=creative, day=day).update(
                    **{field: F(field) + n}
                )
                if not updated:
                    DailyStats.objects.create(
                        creative_id=creative, campaign_id=campaigns[creative], day=day, **{field: n}
                    )
                written += n
            transaction.on_commit(lambda: store.delete_many(done))
        store.set("ad:flushed-through", newest, None)
        return written
    finally:
        store.delete("ad:flush-lock")
