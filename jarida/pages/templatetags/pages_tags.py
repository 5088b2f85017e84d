from django import template

from jarida.pages.models import footer_pages

register = template.Library()


@register.simple_tag
def footer_page_links():
    return footer_pages()
