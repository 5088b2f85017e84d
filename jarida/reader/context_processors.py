from jarida.articles.navigation import menu_sections


def navigation(request):
    """The section menu, on every page."""
    return {"menu_sections": menu_sections()}
