"""Whole-page cache for anonymous readers, in the shared cache, with edge (CDN) headers.

A story breaking means thousands of readers asking for the same few pages: those are
served from the cache without touching the database. How it stays right (docs/caching.md):

* **Surrogate keys.** Each page names the things it shows (`add_keys`): the article page
  `article-12` and `comments-12`; a list its own key (`home`, `section-3`, `tag-7`,
  `writer-5`, `feeds`, `sitemaps`, `api-articles`) plus one `article-N` per story it
  lists; every page `all`.
  Each key has a *version* in the shared "page-versions" cache. A stored page remembers
  the versions it was built with and is fresh only while they are all unchanged; a change
  bumps exactly the keys of the pages that show it (jarida/reader/invalidation.py), so a
  draft's save drops nothing and an edit to one story drops only the pages listing it.
  The same keys go out as `Surrogate-Key` / `Cache-Tag` headers, and purges name them.
* **No stampede.** A page whose keys moved (or whose time ran out) is *stale*: the first
  request takes a lock in the cache and rebuilds it while the others get the stale copy
  (marked not to be stored by shared caches). With no copy at all, the others wait a
  moment for the one rebuilding instead of all rendering it.
* **Stable ETags.** The ETag is a hash of the body, and the body holds nothing made per
  request (the comment form's fill-time stamp is fetched by comments.js), so two servers
  give the same ETag for the same content; `If-None-Match` / `If-Modified-Since` get 304.
* A cached page never outlives the next scheduled publication: its freshness, `max-age`
  and `s-maxage` are cut to the seconds left before it, and no stale copy is served past
  it.
* Only anonymous GETs without a session are cached; staff see fresh pages (`private`).
  Cached pages set no cookies (nginx and CDNs will not cache a response that sets one).
* Keys are bounded by the pages that exist: a query string the page does not read
  (`utm_source`, `fbclid`, anything) is left out of the key; an archive's page number is
  part of it only in its one canonical form (`?page=2`), other forms are never stored.
"""

import hashlib
import logging
import re
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.csp import CSP, build_policy
from django.utils.http import parse_http_date_safe

from jarida.monitoring import metrics

logger = logging.getLogger(__name__)

NEXT_PUBLICATION_KEY = "reader:next-publication"
#: The cache alias holding one version per surrogate key.
VERSIONS_ALIAS = "page-versions"
#: What browsers may keep without asking again (the server and the edge keep pages longer).
BROWSER_MAX_AGE = 60
#: A key's version lives this long unused; a lost version only makes pages miss once.
VERSION_SECONDS = 7 * 24 * 3600
#: How long one request may hold a page's rebuild lock (a crashed rebuild frees it then).
LOCK_SECONDS = 10
#: How long a request with no copy at all waits for another one rebuilding the page.
COLD_WAIT_SECONDS = 2.0
COLD_POLL_SECONDS = 0.02
#: A key bumped this close to a render's start may have changed under it (servers' clocks
#: are assumed to agree this well, NTP does): the page is stored already stale.
CLOCK_SKEW_SECONDS = 2.0

# Surrogate keys. Every page carries ALL; the list keys change when a story joins or
# leaves the list; article keys when the story itself changes.
ALL = "all"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
API_ARTICLES = "api-articles"


def article_key(pk) -> str:
    return f"article-{pk}"


def related_key(pk) -> str:
    """An article's related-stories block: on its own page only (jarida/related)."""
    return f"related-{pk}"


def comments_key(pk) -> str:
    """An article's comment thread: on its page and the API's comment list, not in lists."""
    return f"comments-{pk}"


def section_key(pk) -> str:
    return f"section-{pk}"


def tag_key(pk) -> str:
    return f"tag-{pk}"


def writer_key(pk) -> str:
    return f"writer-{pk}"


def add_keys(request, *keys: str) -> None:
    """Say that the page being built for `request` shows these things (surrogate keys)."""
    request.__dict__.setdefault("_surrogate_keys", set()).update(keys)


def add_article_keys(request, articles) -> None:
    add_keys(request, *(article_key(a.pk) for a in articles))


def page_keys(request) -> list[str]:
    return sorted(request.__dict__.get("_surrogate_keys", set()) | {ALL})


# Versions -----------------------------------------------------------------------------


def _version_name(key: str) -> str:
    return f"v:{key}"


def _bumped_at(version: str) -> float:
    """When a version was made by a bump (0 for one made because none was found)."""
    return int(version.split("-", 1)[0]) / 1e9


def versions(keys) -> dict[str, str | None]:
    """The current version of each key. A key never seen (or lost from the cache) gets a
    new random one, agreed by every server through `add`; None when the cache is down."""
    store = caches[VERSIONS_ALIAS]
    names = {key: _version_name(key) for key in keys}
    found = store.get_many(list(names.values()))
    missing = [key for key, name in names.items() if name not in found]
    for key in missing:
        store.add(names[key], f"0-{secrets.token_hex(6)}", VERSION_SECONDS)
    if missing:
        found |= store.get_many([names[key] for key in missing])
    return {key: found.get(name) for key, name in names.items()}


def bump(keys) -> None:
    """A change readers will see: every page showing one of `keys` is stale from now on."""
    stamp = time.time_ns()
    store = caches[VERSIONS_ALIAS]
    store.set_many(
        {_version_name(key): f"{stamp}-{secrets.token_hex(6)}" for key in keys}, VERSION_SECONDS
    )
    # A scheduled story may have been added, moved or withdrawn: look again.
    cache.delete(NEXT_PUBLICATION_KEY)


def seconds_until_next_publication() -> float | None:
    """Seconds before the next scheduled article goes live, or None when none is due."""
    from jarida.articles.models import Article

    due = cache.get(NEXT_PUBLICATION_KEY, "unknown")
    if due == "unknown" or (due is not None and due <= timezone.now()):
        # Unknown, or the remembered story has just gone live: look for the next one.
        due = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        cache.set(NEXT_PUBLICATION_KEY, due, settings.JARIDA_PAGE_CACHE_SECONDS)
    if due is None:
        return None
    return (due - timezone.now()).total_seconds()


# Addresses ----------------------------------------------------------------------------


def _cacheable(request) -> bool:
    return (
        settings.JARIDA_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


#: An archive page number as the site writes it in links: 2, 3, … (page 1 has none).
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_number(raw: str | None) -> int | None:
    """The archive page a `?page=` value asks for, if it is a plain positive number."""
    if raw is None or not _PAGE_NUMBER.fullmatch(raw):
        return None
    return int(raw)


def requested_page(request, parameter: str = "page") -> tuple[int, bool]:
    """The archive page asked for, and whether it was asked in its one canonical form
    (no `?page=` for page 1, a single plain `?page=N` otherwise)."""
    values = request.GET.getlist(parameter)
    if not values:
        return 1, True
    number = page_number(values[-1])
    return number or 1, number not in (None, 1) and len(values) == 1


def _key(request, paged: str | None) -> str | None:
    """The page's cache key, or None when this address is not a page's canonical form."""
    query = ""
    if paged:
        number, canonical = requested_page(request, paged)
        if not canonical:
            return None  # the view redirects it to the canonical address (or 404s)
        query = f"?{paged}={number}" if number > 1 else ""
    return _page_key(request, query)


def _page_key(request, query: str) -> str:
    # The host is part of the page: canonical and Open Graph URLs are absolute.
    page = f"{request.scheme}://{request.get_host()}{request.path}{query}"
    return f"reader:page:{hashlib.sha256(page.encode()).hexdigest()}"


#: The archive parameters of the paged views (`reader_page(paged=…)`).
PAGE_PARAMETERS = ("page", "p")


def early_key(request) -> str | None:
    """The key `reader_page` would give this address, told from the address alone (no
    URL routing), or None when the view must decide: a query string other than one
    archive page number in its written form. Only entries the decorator stored under
    exactly this key can match, so a wrong guess is a miss, never another page."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        name, _, value = query.partition("=")
        if name not in PAGE_PARAMETERS or value == "1" or not _PAGE_NUMBER.fullmatch(value):
            return None
        query = f"?{name}={value}"
    return _page_key(request, query)


# Headers ------------------------------------------------------------------------------


def edge_headers(response, keys, *, deadline: float | None = None) -> None:
    """Cache-Control for browsers and shared caches, and the page's surrogate keys.

    `deadline` (a timestamp) is the next scheduled publication: nobody may keep the page
    past it, stale or not (no purge is sent when a scheduled story goes live).
    """
    browser, edge = BROWSER_MAX_AGE, settings.JARIDA_EDGE_MAX_AGE
    stale = settings.JARIDA_EDGE_STALE_SECONDS
    if deadline is not None:
        left = max(int(deadline - time.time()), 0)
        if left < edge + stale:
            browser, edge, stale = min(browser, left), min(edge, left), 0
    options = {"public": True, "max_age": browser, "s_maxage": edge}
    if stale:
        options["stale_while_revalidate"] = stale
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, **options)
    surrogate_headers(response, keys)


def surrogate_headers(response, keys) -> None:
    # Fastly and Varnish (xkey) read space-separated keys, Cloudflare comma-separated tags.
    response["Surrogate-Key"] = " ".join(keys)
    response["Cache-Tag"] = ",".join(keys)


#: Other moments when pages change by the clock alone, no save sending a purge (a
#: sponsored campaign's start or end): functions returning an aware datetime or None,
#: cheap when called (a cached value), registered by their apps' `ready()`.
_clock_changes = []


def register_clock_change(next_change) -> None:
    """No page is kept (here or at the edge) past the moment `next_change()` returns."""
    if next_change not in _clock_changes:
        _clock_changes.append(next_change)


def next_publication_deadline() -> float | None:
    """The timestamp of the next scheduled publication (or other registered change by
    the clock), or None."""
    until = seconds_until_next_publication()
    moments = [] if until is None else [time.time() + max(until, 0)]
    for next_change in _clock_changes:
        if (when := next_change()) is not None:
            moments.append(max(when.timestamp(), time.time()))
    return min(moments, default=None)


def _conditional(request, response):
    """304 for a reader (or CDN) holding this very page (ETag or Last-Modified)."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def _lifetimes() -> tuple[float, float | None]:
    """(server freshness in seconds, the next publication's timestamp or None)."""
    deadline = next_publication_deadline()
    server = settings.JARIDA_PAGE_CACHE_SECONDS
    if deadline is not None:
        server = min(server, max(int(deadline - time.time()), 0))
    return server, deadline


# The decorator ------------------------------------------------------------------------


def keep_csp_nonce(request, response) -> None:
    """A page rendered with the request's CSP nonce keeps the policy naming that nonce.

    The CSP middleware makes a new nonce for every request; a page served from the cache
    carries the nonce of the request that rendered it, so it must carry that request's
    policy too (the middleware leaves a policy header already on a response alone). Pages
    that never used the nonce keep none, and each answer gets a fresh policy.
    """
    nonce = get_nonce(request)
    if not nonce:  # a LazyNonce is false until a template has used it
        return
    sentinel = object()
    for header, setting in [
        (CSP.HEADER_ENFORCE, "SECURE_CSP"),
        (CSP.HEADER_REPORT_ONLY, "SECURE_CSP_REPORT_ONLY"),
    ]:
        attribute = "_csp_config" if setting == "SECURE_CSP" else "_csp_ro_config"
        config = getattr(response, attribute, sentinel)
        if config is sentinel:
            config = getattr(settings, setting)
        if config and header not in response:
            response.headers[str(header)] = build_policy(config, nonce)


def reader_page(view=None, *, paged: bool | str = False):
    """Serve anonymous readers from the page cache; store fresh 200 pages in it.

    `paged=True` for archives whose `?page=` chooses the page (or the parameter's name,
    e.g. "p" for sitemaps); every other query string is ignored by the key, so the view
    must not read it.
    """
    parameter = "page" if paged is True else (paged or None)
    if view is None:
        return lambda view: _cached_view(view, parameter)
    return _cached_view(view, parameter)


def _cached_view(view, paged: str | None):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _key(request, paged) if _cacheable(request) else None
        if key is None:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        return PageCache(key).serve(request, lambda: view(request, *args, **kwargs))

    return wrapped


class PageCache:
    """One page's entry in the "pages" cache, its rebuild lock and its freshness."""

    def __init__(self, key: str):
        self.key = key
        self.lock = f"{key}:lock"
        self.pages = caches["pages"]

    def _lookup(self, request) -> tuple[dict | None, dict | None]:
        """The stored entry and its keys' current versions, read once per request: when
        `PageCacheMiddleware` found the page stale, the view's decorator goes on with
        what it read instead of reading the page and every version again."""
        found = getattr(request, "_page_cache_lookup", None)
        if found is not None and found[0] == self.key:
            return found[1], found[2]
        entry = self._entry()
        current = versions(entry["versions"]) if entry is not None else None
        request._page_cache_lookup = (self.key, entry, current)
        return entry, current

    @staticmethod
    def _is_fresh(entry: dict, current: dict) -> bool:
        return current == entry["versions"] and time.time() < entry["fresh_until"]

    def fresh(self, request):
        """The cached page if it is fresh and none of its keys moved, else None."""
        entry, current = self._lookup(request)
        if entry is not None and self._is_fresh(entry, current):
            metrics.count_page_cache("hit")
            request.page_cache_route = entry.get("route")
            return self._answer(request, entry)
        return None

    def serve(self, request, render):
        entry, current = self._lookup(request)
        if entry is not None:
            if None not in current.values():
                if self._is_fresh(entry, current):
                    metrics.count_page_cache("hit")
                    return self._answer(request, entry)
                if not self.pages.add(self.lock, 1, LOCK_SECONDS):
                    # Someone is rebuilding it: this reader gets the stale copy at once.
                    metrics.count_page_cache("stale")
                    return self._answer(request, entry, stale=True)
                return self._rebuild(request, render, entry["versions"])
        elif self.pages.add(self.lock, 1, LOCK_SECONDS):
            return self._rebuild(request, render, {})
        else:
            # Nothing to serve and someone is building it: wait for theirs a moment.
            deadline = time.monotonic() + COLD_WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(COLD_POLL_SECONDS)
                entry = self._entry()
                if entry is not None:
                    metrics.count_page_cache("hit")
                    return self._answer(request, entry)
                if self.pages.get(self.lock) is None:
                    # It is done. Look once more (it stores before it unlocks): nothing
                    # there means it stored no page (a 404, an error).
                    entry = self._entry()
                    if entry is not None:
                        metrics.count_page_cache("hit")
                        return self._answer(request, entry)
                    break
        metrics.count_page_cache("miss")
        # The cache is down, the rebuild stored nothing or took too long: render, unstored.
        return self._finish(request, render(), {}, store=False)

    def _entry(self) -> dict | None:
        entry = self.pages.get(self.key)
        if not isinstance(entry, dict):
            return None
        stale_until = entry["fresh_until"] + entry["stale_seconds"]
        if entry["deadline"] is not None:
            stale_until = min(stale_until, entry["deadline"])
        return entry if time.time() < stale_until else None

    def _answer(self, request, entry, *, stale: bool = False):
        response = entry["response"]
        if stale:
            # Shared caches must not keep a copy already known to be out of date.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, public=True, max_age=0, s_maxage=0)
        else:
            edge_headers(response, entry["keys"], deadline=entry["deadline"])
        return _conditional(request, response)

    def _rebuild(self, request, render, known: dict):
        metrics.count_page_cache("miss")
        try:
            # Versions read before the database: a change committed during the render
            # leaves the page stale, never fresh with old content.
            before = versions(known.keys()) if known else {}
            started = time.time()
            response = render()
            return self._finish(request, response, before, started=started)
        finally:
            self.pages.delete(self.lock)

    def _finish(self, request, response, before: dict, *, store=True, started=None):
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code != 200 or response.cookies:
            if store:
                # An unpublished story's page must not come back as a stale copy.
                self.pages.delete(self.key)
            return response
        keys = page_keys(request)
        set_response_etag(response)
        keep_csp_nonce(request, response)
        server_seconds, deadline = _lifetimes()
        edge_headers(response, keys, deadline=deadline)
        if store and server_seconds > 0:
            route = request.resolver_match.route if request.resolver_match else None
            self._store(response, keys, before, started, server_seconds, deadline, route)
        return _conditional(request, response)

    def _store(self, response, keys, before, started, server_seconds, deadline, route):
        new = [key for key in keys if key not in before]
        now = versions(new)
        built_with = {key: before[key] for key in keys if key in before} | now
        if None in built_with.values():
            return  # the versions cache is down: nothing could tell when this goes stale
        fresh_until = time.time() + server_seconds
        # A key first seen after the render may have been bumped while it ran: store the
        # page already stale (served while the next request rebuilds it, that time with
        # the key's version read before the render).
        if any(_bumped_at(v) >= started - CLOCK_SKEW_SECONDS for v in now.values()):
            fresh_until = time.time()
        stale_seconds = settings.JARIDA_PAGE_CACHE_STALE_SECONDS
        entry = {
            "response": response,
            "keys": keys,
            "versions": built_with,
            "fresh_until": fresh_until,
            "stale_seconds": stale_seconds,
            "deadline": deadline,
            # The URL pattern, for the request metrics of answers given before routing.
            "route": route,
        }
        timeout = server_seconds + stale_seconds
        if deadline is not None:
            timeout = min(timeout, max(int(deadline - time.time()), 1))
        self.pages.set(self.key, entry, timeout)


class PageCacheMiddleware:
    """Answer fresh cached pages before sessions, CSRF, authentication and URL routing.

    A hit through the view decorator paid for every middleware below this one and for
    routing: more than half of its time. Placed after the middleware that set response
    headers (security, clickjacking, CSP, Content-Length), so a page answered here carries
    the same headers as one answered by the decorator. Stale pages, locks and rebuilds stay
    with the decorator (`reader_page`): anything but a fresh hit goes on down the chain.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _cacheable(request):
            key = early_key(request)
            if key is not None:
                response = PageCache(key).fresh(request)
                if response is not None:
                    return response
        return self.get_response(request)
