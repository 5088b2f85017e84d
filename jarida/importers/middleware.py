"""Old WordPress addresses answer 301 to the article's page.

`/?p=123` (and `?page_id=`) on the site root is answered before the home view runs; any
other old path is looked up only when the site answers 404, or when the article view
would redirect (WordPress's `/%year%/%monthnum%/%postname%/` looks like Jarida's
`/<section>/<id>/<slug>/`). One indexed query, never on a successful response.
"""

from django.http import HttpResponsePermanentRedirect

from jarida.articles.models import Article
from jarida.importers.models import LegacyPermalink

ROOT_PATHS = {"/", "/index.php"}
QUERY_KEYS = ("p", "page_id")
ARTICLE_VIEWS = {"article", "article-without-slug"}


def legacy_redirect(paths: list[str]) -> HttpResponsePermanentRedirect | None:
    """301 to the published article one of `paths` used to show, if any."""
    link = (
        LegacyPermalink.objects.filter(path__in=paths, article__in=Article.objects.published())
        .select_related("article__section")
        .first()
    )
    return HttpResponsePermanentRedirect(link.article.get_absolute_url()) if link else None


def _query_paths(request) -> list[str]:
    return [
        f"/?{key}={value}" for key in QUERY_KEYS if (value := request.GET.get(key, "")).isdigit()
    ]


class LegacyPermalinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path in ROOT_PATHS and request.GET and (paths := _query_paths(request)):
            redirect = legacy_redirect(paths)
            if redirect:
                return redirect
        response = self.get_response(request)
        if response.status_code == 404 or self._article_redirect(request, response):
            path = request.path
            variants = [path, path + "/"] if not path.endswith("/") else [path]
            return legacy_redirect(variants) or response
        return response

    @staticmethod
    def _article_redirect(request, response) -> bool:
        match = getattr(request, "resolver_match", None)
        return (
            response.status_code == 301
            and match is not None
            and match.namespace == "reader"
            and match.url_name in ARTICLE_VIEWS
        )
