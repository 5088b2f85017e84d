from django import template

register = template.Library()


@register.inclusion_tag("media/picture.html")
def picture(image, sizes="100vw", loading="lazy", alt=None, priority=False):
    """<picture>: WebP renditions by width, the cleaned original as the fallback."""
    return {
        "image": image,
        "sizes": sizes,
        "loading": loading,
        "alt": image.alt_text if alt is None else alt,
        "priority": priority,
    }
