"""`{% related_block article %}`: the stored related cards, one query whatever their number."""

from django import template

from jarida.related.models import RelatedArticle

register = template.Library()


@register.inclusion_tag("related/block.html", takes_context=True)
def related_block(context, article):
    return {
        "site": context.get("site"),
        "cards": list(RelatedArticle.objects.for_page(article)),
    }
