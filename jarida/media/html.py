"""An image's `<picture>` element, written in Python because listings print one per card.

Rendering it through a template cost more than everything else on a card; the markup is
small and fixed, so it is built here with `format_html` (every value escaped).
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def picture(
    image, sizes: str = "100vw", *, alt: str | None = None, priority=False, loading="lazy"
) -> SafeString:
    """<picture>: WebP renditions by width, the cleaned original as the fallback. The first
    picture of a page is `priority` (fetched early, never lazy); the rest load lazily."""
    source = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', image.srcset, sizes)
        if image.renditions
        else ""
    )
    fetch = (
        mark_safe(' fetchpriority="high"')
        if priority
        else format_html(' loading="{}" decoding="async"', loading)
    )
    return format_html(
        '<picture>{}<img src="{}" alt="{}" width="{}" height="{}"{}></picture>',
        source,
        image.file.url,
        image.alt_text if alt is None else alt,
        image.width,
        image.height,
        fetch,
    )
