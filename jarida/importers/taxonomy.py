"""Sections and tags for imported articles, found by slug and created on first use."""

import hashlib
from urllib.parse import unquote

from jarida.articles.models import RESERVED_SLUGS, Section, Tag
from jarida.core.text import arabic_slug


def section_named(nicename: str, name: str) -> Section:
    """The section with this slug (percent-encoded in WordPress), created when new."""
    slug = arabic_slug(unquote(nicename), 100) or "section"
    if slug in RESERVED_SLUGS:
        slug = f"wp-{slug}"
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        name = name[:100] or slug
        if Section.objects.filter(name=name).exists():
            name = f"{name} ({slug})"[:100]
        section = Section.objects.create(name=name, slug=slug)
    return section


def tag_named(name: str) -> Tag:
    """The tag with this name, or with the slug it would get; created when new."""
    name = name[:100]
    slug = arabic_slug(name, 100) or f"tag-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    tag = Tag.objects.filter(name=name).first() or Tag.objects.filter(slug=slug).first()
    return tag or Tag.objects.create(name=name, slug=slug)
