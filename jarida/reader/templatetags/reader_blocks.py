"""Small helpers for the reader's templates: the dateline run into the body's first line."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from jarida.core.templatetags.arabic import site_date_style
from jarida.reader import cards, icons

register = template.Library()


@register.simple_tag
def icon(name):
    """An inline SVG icon by name (`jarida.reader.icons`)."""
    return icons.icon(name)


@register.simple_tag(takes_context=True)
def card(context, article, **options):
    """A story's card (`jarida.reader.cards`), dated in the site's style."""
    return cards.card(article, site_date_style(context), **options)


_FIRST_PARAGRAPH = re.compile(r"^\s*<p(\s[^>]*)?>", re.IGNORECASE)


@register.filter(needs_autoescape=True)
def with_dateline(body, credit, autoescape=True):
    """The (already sanitised) body with `بغداد/ تميم الحسن` opening its first paragraph,
    as papers print it; a body that does not open with a paragraph gets its own line."""
    body = body or ""
    if not credit:
        return mark_safe(body)
    mark = f'<span class="dateline">{conditional_escape(credit)}</span> '
    found = _FIRST_PARAGRAPH.match(body)
    if found:
        return mark_safe(body[: found.end()] + mark + body[found.end() :])
    return mark_safe(f"<p>{mark}</p>{body}")
