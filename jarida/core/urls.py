"""`reverse` for the addresses every card and menu prints, worked out once per process.

A listing page prints each article's, section's and writer's URL, often twice: through
Django's resolver that is tens of reversals a page, the same ones on every request. A URL
depends only on the view, its arguments, the URLconf and the script prefix, all in the key.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=50_000)
def _reverse(viewname: str, args: tuple, urlconf: str, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)


def cached_reverse(viewname: str, *args) -> str:
    """`reverse(viewname, args=args)`, remembered (positional arguments only)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, args, urlconf, get_script_prefix())
