"""Whole-page cache for anonymous readers, in the shared cache, with HTTP caching headers.

A story breaking means thousands of readers asking for the same few pages: those are
served from the cache without touching the database. Correctness rules:

* Any change readers could see (an article saved, moved through the workflow or deleted;
  a comment shown or hidden; sections, people, tags, images, site settings) bumps one
  *generation* number that is part of every key, so every cached page is dropped at once.
* A cached page never outlives the next scheduled publication: the timeout (and the
  `max-age` sent to browsers and CDNs) is cut to the seconds left before it.
* Only anonymous GETs without a session are cached; staff see fresh pages. Cached pages
  set no cookies (nginx and CDNs will not cache a response that sets one).
* Keys are bounded by the pages that exist: a query string the page does not read
  (`utm_source`, `fbclid`, anything) is left out of the key; an archive's `page` is part of
  it only in its one canonical form (`?page=2`), other forms are redirected by the view and
  never stored. Pages live in their own cache alias ("pages"), so however many there are
  they cannot push out the generation or the rate-limit counters.
"""

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.csp import CSP, build_policy

from jarida.monitoring import metrics

GENERATION_KEY = "reader:page-generation"
NEXT_PUBLICATION_KEY = "reader:next-publication"
#: What browsers and CDNs may keep without asking again (the server keeps pages longer).
BROWSER_MAX_AGE = 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = time.time_ns()
        cache.set(GENERATION_KEY, value, None)
    return value


def invalidate_pages(**kwargs) -> None:
    """Drop every cached page (a new generation; old entries expire on their own)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)
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


def requested_page(request) -> tuple[int, bool]:
    """The archive page asked for, and whether it was asked in its one canonical form
    (no `?page=` for page 1, a single plain `?page=N` otherwise)."""
    values = request.GET.getlist("page")
    if not values:
        return 1, True
    number = page_number(values[-1])
    return number or 1, number not in (None, 1) and len(values) == 1


def _key(request, paged: bool) -> str | None:
    """The page's cache key, or None when this address is not a page's canonical form."""
    query = ""
    if paged:
        number, canonical = requested_page(request)
        if not canonical:
            return None  # the view redirects it to the canonical address
        query = f"?page={number}" if number > 1 else ""
    # The host is part of the page: canonical and Open Graph URLs are absolute.
    page = f"{request.scheme}://{request.get_host()}{request.path}{query}"
    digest = hashlib.sha256(page.encode()).hexdigest()
    return f"reader:page:{generation()}:{digest}"


def _lifetimes() -> tuple[int, int]:
    """(server timeout, browser max-age), both cut short by the next scheduled story."""
    server, browser = settings.JARIDA_PAGE_CACHE_SECONDS, BROWSER_MAX_AGE
    until = seconds_until_next_publication()
    if until is not None:
        server, browser = min(server, int(until)), min(browser, int(until))
    return max(server, 0), max(browser, 0)


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


def reader_page(view=None, *, paged: bool = False):
    """Serve anonymous readers from the page cache; store fresh 200 pages in it.

    `paged=True` for archives whose `?page=` chooses the page; every other query string
    is ignored by the key, so the view must not read it.
    """
    if view is None:
        return lambda view: _cached_view(view, paged)
    return _cached_view(view, paged)


def _cached_view(view, paged: bool):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _key(request, paged) if _cacheable(request) else None
        if key is None:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        pages = caches["pages"]
        response = pages.get(key)
        metrics.count_page_cache(hit=response is not None)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            server_timeout, max_age = _lifetimes()
            if response.status_code != 200 or response.cookies:
                return response
            patch_cache_control(response, public=True, max_age=max_age)
            set_response_etag(response)
            keep_csp_nonce(request, response)
            if server_timeout > 0:
                pages.set(key, response, server_timeout)
        # A reader (or CDN) holding this very page gets 304 Not Modified.
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapped
