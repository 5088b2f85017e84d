"""A story's card: the one element every listing repeats (home, section, tag, writer and
search pages print 20 to 35 of them).

Built in Python rather than included as a template: through `{% include %}` a card cost
about 0.2 ms, more than the rest of a listing page together, and it is the same small
markup every time. Every value goes through `format_html`, so it is escaped as a template
would escape it; a title or snippet already marked safe (search highlights) is kept.
"""

from functools import cache

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from jarida.core import dates
from jarida.core.templatetags.arabic import html_datetime, iri
from jarida.media.html import picture

#: `sizes` of the card's picture for each layout (CSS: reader.css, `.card-image`).
SIZES_LEAD = "(min-width: 48rem) 45vw, 100vw"
SIZES_COMPACT = "8rem"
SIZES_GRID = "(min-width: 48rem) 22vw, 8rem"


@cache
def paid_label() -> SafeString:
    """The paid-content label, from the one template every page shows it with."""
    return mark_safe(render_to_string("reader/includes/sponsored_label.html").strip())


def card(
    article,
    style: dates.DateStyle,
    *,
    lead=False,
    compact=False,
    level=3,
    with_excerpt=False,
    show_section=False,
    title=None,
    snippet=None,
) -> SafeString:
    """The card of `article`. `lead`: the page's first and largest (its picture fetched
    first); `compact`: a title and date beside a thumbnail; `title` and `snippet`: the
    search page's highlighted forms of the title and the matching passage."""
    url = iri(article.get_absolute_url())
    classes = "card"
    if lead:
        classes += " card--lead"
    if compact:
        classes += " card--compact"
    if article.sponsored:
        classes += " card--sponsored"

    image = article.featured_image
    if image:
        if lead:
            art = picture(image, SIZES_LEAD, alt="", priority=True)
        else:
            art = picture(image, SIZES_COMPACT if compact else SIZES_GRID, alt="")
        image_link = format_html(
            '<a class="card-image" href="{}" tabindex="-1" aria-hidden="true">{}</a>', url, art
        )
    else:
        image_link = ""

    published = article.published_at
    meta = format_html(
        '<time datetime="{}">{}</time>',
        html_datetime(published),
        dates.format_arabic_date(published, style) if published else "",
    )
    if show_section:
        section = article.section
        meta = format_html(
            '{} · <a href="{}">{}</a>', meta, section.get_absolute_url(), section.name
        )

    if snippet:
        excerpt = format_html('<p class="card-excerpt search-snippet">{}</p>', snippet)
    elif with_excerpt:
        dateline = (
            format_html('<span class="dateline">{}</span> ', article.dateline_credit)
            if article.dateline
            else ""
        )
        excerpt = format_html('<p class="card-excerpt">{}{}</p>', dateline, article.excerpt())
    else:
        excerpt = ""

    return format_html(
        '<article class="{}">{}<div class="card-text">{}{}'
        '<h{} class="card-title"><a href="{}">{}</a></h{}>'
        '<p class="card-meta">{}</p>{}</div></article>',
        classes,
        image_link,
        paid_label() if article.sponsored else "",
        format_html('<p class="kicker">{}</p>', article.kicker) if article.kicker else "",
        level or 3,
        url,
        title or article.title,
        level or 3,
        meta,
        excerpt,
    )
