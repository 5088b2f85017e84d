"""`json_ld`: schema.org data in a `<script type="application/ld+json">` block."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from jarida.reader.head_script import SCRIPT

register = template.Library()


@register.simple_tag
def head_script() -> str:
    """The head's inline script, allowed by its hash (jarida/reader/head_script.py)."""
    return mark_safe(f"<script>{SCRIPT}</script>")


# As Django's json_script: no `</script>`, `<!--` or `&` can end or bend the block, since
# titles and names are user text.
# (Three replace() calls: str.translate with a mapping is ten times slower on a page's JSON.)
_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


@register.filter
def json_ld(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for char, escaped in _ESCAPES:
        text = text.replace(char, escaped)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
