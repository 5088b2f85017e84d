"""`{% sponsored_slot "top" section %}`: a paid slot with its label, from the cache (no query)."""

import re

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from jarida.sponsorship import services

register = template.Library()


def _render(position: str, section) -> dict | None:
    found = services.slot(position, getattr(section, "pk", None))
    if found is None:
        return None
    html = render_to_string("sponsorship/slot.html", {"position": position, **found})
    after = found["creatives"][0]["after_paragraph"]
    return {"html": mark_safe(html), "after": after}


@register.simple_tag
def sponsored_slot(position: str, section=None):
    rendered = _render(position, section)
    return rendered["html"] if rendered else ""


@register.simple_tag
def in_article_slot(section=None):
    """The in-article slot as {"html", "after"} for the `insert_slot` filter (or None)."""
    return _render("in_article", section)


_PARAGRAPH_END = re.compile(r"</p>", re.IGNORECASE)


@register.filter
def insert_slot(body, rendered):
    """The body with the slot after its Nth paragraph (at the end when it is shorter)."""
    if not rendered:
        return body
    ends = list(_PARAGRAPH_END.finditer(body))
    if len(ends) <= rendered["after"]:
        return body
    cut = ends[rendered["after"] - 1].end() if rendered["after"] else 0
    return mark_safe(body[:cut] + rendered["html"] + body[cut:])
