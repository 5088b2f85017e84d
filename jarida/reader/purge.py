"""Purging the edge (nginx, Varnish, a CDN) after a change readers will see.

The page cache on the app servers follows a change at once (page_cache.bump, after the
commit); copies held by shared caches in front are dropped by a purge, sent through the
task queue (`purge_edge`, enqueued after the commit) to the backend chosen by
settings.JARIDA_EDGE_PURGE (jarida/config.py, docs/caching.md):

* RecordingPurger (the default): nothing in front to purge; it logs and counts what it
  would purge, so the keys can be checked before a CDN is added.
* HttpPurger: `PURGE <page URL>` to every nginx (ngx_cache_purge) or Varnish in front,
  and/or one `PURGE /` carrying the surrogate keys in a header (Varnish xkey, Fastly-like
  setups).
* CloudflarePurger: Cloudflare's purge-by-tag API (the `Cache-Tag` header of each page).
"""

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urljoin

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils.module_loading import import_string

from jarida.monitoring import metrics
from jarida.reader import page_cache

logger = logging.getLogger(__name__)

SITEMAP_NAMES = ("articles", "sections", "writers")


class PurgeFailed(Exception):
    """Some purges were not accepted; the task fails (and a retrying queue tries again)."""


class Purger:
    """One way of telling the edge to drop pages. `wants_urls`: it needs page addresses,
    not only surrogate keys (the task works them out from the keys)."""

    name = "base"
    wants_urls = False

    def __init__(self, **options):
        self.options = options

    def purge(self, keys: list[str], urls: list[str]) -> None:
        raise NotImplementedError


class RecordingPurger(Purger):
    name = "record"

    def purge(self, keys, urls):
        logger.info("edge purge (recorded, nothing sent): keys=%s", " ".join(keys))
        metrics.count_purge(self.name, "recorded", len(keys), len(urls))


def _send(request: urllib.request.Request, timeout: float) -> int:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:  # refused, timed out, unreachable
        logger.warning("edge purge to %s failed: %s", request.full_url, error)
        return 0


class HttpPurger(Purger):
    """PURGE requests to each endpoint (one per nginx or Varnish server in front)."""

    name = "http"
    #: nginx's ngx_cache_purge answers 404 for a page it did not hold: purged all the same.
    OK = {200, 204, 404}

    @property
    def wants_urls(self):
        return self.options.get("mode", "urls") in ("urls", "both")

    def requests(self, keys, urls) -> list[urllib.request.Request]:
        mode = self.options.get("mode", "urls")
        headers = {"Host": self.options["host"]} if self.options.get("host") else {}
        made = []
        for endpoint in self.options.get("endpoints", []):
            if mode in ("urls", "both"):
                for url in urls:
                    made.append(
                        urllib.request.Request(
                            urljoin(endpoint, url), method="PURGE", headers=headers
                        )
                    )
            if mode in ("keys", "both") and keys:
                key_headers = headers | {
                    self.options.get("key_header", "Surrogate-Key"): " ".join(keys)
                }
                made.append(
                    urllib.request.Request(
                        urljoin(endpoint, "/"), method="PURGE", headers=key_headers
                    )
                )
        return made

    def purge(self, keys, urls):
        timeout = self.options.get("timeout", 5)
        failed = []
        for request in self.requests(keys, urls):
            status = _send(request, timeout)
            if status not in self.OK:
                failed.append(f"{request.full_url} ({status or 'no answer'})")
        metrics.count_purge(self.name, "failed" if failed else "sent", len(keys), len(urls))
        if failed:
            # Logged here too: the embedded task backend keeps a failure to itself.
            logger.error("edge purge not accepted: %s", ", ".join(failed))
            raise PurgeFailed("PURGE not accepted: " + ", ".join(failed))


class CloudflarePurger(Purger):
    """Cloudflare: POST /zones/{zone}/purge_cache {"tags": [...]}, the `Cache-Tag` values.

    An example of a commercial CDN's API (Fastly's is alike: POST /service/{id}/purge with
    a `Surrogate-Key` header). Tags go 30 to a call, Cloudflare's limit per request.
    """

    name = "cloudflare"
    TAGS_PER_CALL = 30

    def requests(self, keys) -> list[urllib.request.Request]:
        url = f"{self.options['api'].rstrip('/')}/zones/{self.options['zone']}/purge_cache"
        headers = {
            "Authorization": f"Bearer {self.options['token']}",
            "Content-Type": "application/json",
        }
        return [
            urllib.request.Request(
                url,
                data=json.dumps({"tags": keys[i : i + self.TAGS_PER_CALL]}).encode(),
                method="POST",
                headers=headers,
            )
            for i in range(0, len(keys), self.TAGS_PER_CALL)
        ]

    def purge(self, keys, urls):
        failed = []
        for request in self.requests(keys):
            status = _send(request, self.options.get("timeout", 5))
            if status != 200:
                failed.append(str(status or "no answer"))
        metrics.count_purge(self.name, "failed" if failed else "sent", len(keys), 0)
        if failed:
            logger.error("Cloudflare purge refused: %s", ", ".join(failed))
            raise PurgeFailed("Cloudflare purge refused: " + ", ".join(failed))


def purger() -> Purger:
    config = settings.JARIDA_EDGE_PURGE
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def urls_for_keys(keys) -> list[str]:
    """The first-page addresses of the pages showing these keys (for URL-only purgers).

    Deeper archive pages (`?page=2`…) and API lists with their many query strings cannot
    be listed: they rely on keys or on their short `s-maxage` (docs/caching.md).
    """
    from jarida.accounts.models import Contributor
    from jarida.articles.models import Article, Section, Tag

    ids = {"article": set(), "section": set(), "tag": set(), "writer": set()}
    urls = set()
    for key in keys:
        kind, _, pk = key.partition("-")
        if kind in ids and pk.isdigit():
            ids[kind].add(int(pk))
    if page_cache.HOME in keys or page_cache.ALL in keys:
        urls.add(reverse("reader:home"))
    if page_cache.FEEDS in keys or page_cache.ALL in keys:
        urls |= _feeds("feeds:site")
    if page_cache.SITEMAPS in keys or page_cache.ALL in keys:
        urls |= {reverse("feeds:sitemap-index"), reverse("feeds:sitemap-news")}
        urls |= {reverse("feeds:sitemap", kwargs={"section": s}) for s in SITEMAP_NAMES}
    for article in Article.objects.filter(pk__in=ids["article"]).select_related("section"):
        urls.add(article.get_absolute_url())
    for section in Section.objects.filter(pk__in=ids["section"]):
        urls.add(section.get_absolute_url())
        urls |= _feeds("feeds:section", section_slug=section.slug)
    for tag in Tag.objects.filter(pk__in=ids["tag"]):
        urls.add(tag.get_absolute_url())
        urls |= _feeds("feeds:tag", slug=tag.slug)
    for writer in Contributor.objects.filter(pk__in=ids["writer"]):
        urls.add(writer.get_absolute_url())
        urls |= _feeds("feeds:contributor", slug=writer.slug)
    return sorted(urls)


def _feeds(name: str, **kwargs) -> set[str]:
    return {reverse(f"{name}{kind}", kwargs=kwargs) for kind in ("", "-atom", "-json")}


#: Ahead of the rest of the queue: during a breaking-news spike each publication enqueues
#: its index and related-articles work too (a fifth of a second each on a busy machine),
#: and a purge waiting behind them keeps readers on the edge's old copy
#: (benchmarks/spike.py; docs/performance.md, "A breaking-news spike").
PURGE_PRIORITY = 50


def queue_purge(keys: list[str], urls: list[str] | None = None):
    """Queue `purge_edge`, ahead of other work when the backend orders by priority (a
    backend that cannot would refuse the task at import if the decorator asked for it)."""
    purge = purge_edge
    if purge.get_backend().supports_priority:
        purge = purge.using(priority=PURGE_PRIORITY)
    return purge.enqueue(keys=keys, urls=urls or [])


@task
def purge_edge(keys: list[str], urls: list[str]) -> int:
    """Purge the edge's copies of the pages showing `keys` (and these `urls`)."""
    backend = purger()
    if backend.wants_urls:
        urls = sorted(set(urls) | set(urls_for_keys(keys)))
    backend.purge(keys, urls)
    return len(keys) + len(urls)
