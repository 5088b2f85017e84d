"""`{% most_read_block %}`: the most-read lists as the last flush stored them (no query)."""

from django import template

from jarida.readership.counting import most_read

register = template.Library()


@register.inclusion_tag("readership/block.html")
def most_read_block():
    top = most_read()
    return {"day": top.get("day", []), "week": top.get("week", [])}
