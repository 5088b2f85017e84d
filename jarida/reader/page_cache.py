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
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

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


def _key(request) -> str:
    # The host is part of the page: canonical and Open Graph URLs are absolute.
    page = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(page.encode()).hexdigest()
    return f"reader:page:{generation()}:{path}"


def _lifetimes() -> tuple[int, int]:
    """(server timeout, browser max-age), both cut short by the next scheduled story."""
    server, browser = settings.JARIDA_PAGE_CACHE_SECONDS, BROWSER_MAX_AGE
    until = seconds_until_next_publication()
    if until is not None:
        server, browser = min(server, int(until)), min(browser, int(until))
    return max(server, 0), max(browser, 0)


def reader_page(view):
    """Serve anonymous readers from the page cache; store fresh 200 pages in it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        key = _key(request)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            server_timeout, max_age = _lifetimes()
            if response.status_code != 200 or response.cookies:
                return response
            patch_cache_control(response, public=True, max_age=max_age)
            set_response_etag(response)
            if server_timeout > 0:
                cache.set(key, response, server_timeout)
        # A reader (or CDN) holding this very page gets 304 Not Modified.
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return wrapped
