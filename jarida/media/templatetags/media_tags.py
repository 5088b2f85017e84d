from django import template

from jarida.media.html import picture as picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes="100vw", loading="lazy", alt=None, priority=False):
    """<picture>: WebP renditions by width, the cleaned original as the fallback."""
    return picture_html(image, sizes, alt=alt, priority=priority, loading=loading)
