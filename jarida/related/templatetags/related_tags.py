"""`{% related_block article %}`: the stored related cards, from the cache (no query)."""

from django import template

from jarida.related.services import cards_for_page

register = template.Library()


@register.inclusion_tag("related/block.html", takes_context=True)
def related_block(context, article):
    return {"site": context.get("site"), "cards": cards_for_page(article)}
