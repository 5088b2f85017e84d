from django import template

from jarida.supplements.services import latest_issues

register = template.Library()


@register.inclusion_tag("supplements/block.html", takes_context=True)
def supplements_block(context):
    site = context.get("site")
    paper = (site.site_name if site else "").removeprefix("جريدة").strip() or "الجريدة"
    return {"issues": latest_issues(), "heading": f"ملاحق {paper}", "site": site}
