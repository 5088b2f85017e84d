"""The comment block under an article: the form (when open) and the published thread."""

import math
import time

from django import template
from django.conf import settings

from jarida.comments import services
from jarida.comments.forms import CommentForm, started_at
from jarida.comments.text import MAX_LENGTH, comment_length
from jarida.core.models import SiteSettings

register = template.Library()


@register.inclusion_tag("comments/block.html", takes_context=True)
def comment_block(context, article):
    """One query: the published comments with their replies; the count comes from them."""
    site = context.get("site") or SiteSettings.load()
    is_open = services.comments_are_open(article, site)
    return {
        "article": article,
        "site": site,
        "thread": services.published_thread(article),
        "open": is_open,
        "form": CommentForm() if is_open else None,
        # The cached article page carries nothing made per request, so every server
        # renders the same bytes (and ETag): comments.js fetches a CSRF token and a fresh
        # fill-time stamp; a post without them lands on the confirmation page, which has.
        "stamp": "",
        "with_token": False,
    }


@register.inclusion_tag("comments/form.html", takes_context=True)
def comment_form(context, article, form, stamp, with_token=True):
    """The form itself, shared by the article page and the uncached form page."""
    text = form["text"].value() or ""
    return {
        "article": article,
        "form": form,
        "stamp": stamp,
        "with_token": with_token,
        "csrf_token": context.get("csrf_token"),
        "site": context.get("site") or SiteSettings.load(),
        "max_length": MAX_LENGTH,
        "remaining": MAX_LENGTH - comment_length(text),
        "min_fill": settings.COMMENTS_MIN_FILL_SECONDS,
        "ready_in": _ready_in(stamp),
    }


def _ready_in(stamp: str) -> int:
    """Seconds before the server will take this form (0 for a stamp already old enough)."""
    issued = started_at(stamp)
    if issued is None:
        return settings.COMMENTS_MIN_FILL_SECONDS
    return max(0, math.ceil(settings.COMMENTS_MIN_FILL_SECONDS - (time.time() - issued)))
