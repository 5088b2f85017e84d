"""The section menu every page prints, held in the shared cache (no query per page)."""

from django.core.cache import cache

SECTIONS_CACHE_KEY = "articles:sections:v1"


def menu_sections() -> list:
    """All sections in menu order."""
    from jarida.articles.models import Section

    sections = cache.get(SECTIONS_CACHE_KEY)
    if sections is None:
        sections = list(Section.objects.all())
        cache.set(SECTIONS_CACHE_KEY, sections, timeout=600)
    return sections


def forget_sections() -> None:
    cache.delete(SECTIONS_CACHE_KEY)
