"""The reader's search page."""

import math

from django.shortcuts import render

from jarida.articles.models import Article
from jarida.core.text import html_opening, html_to_text
from jarida.search import services
from jarida.search.backends.base import SearchQuery
from jarida.search.forms import SearchForm
from jarida.search.highlight import highlight

PAGE_SIZE = 10
MAX_PAGE = 100


def _page_number(raw) -> int:
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "query": "", "results": [], "total": 0}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        number = _page_number(request.GET.get("page"))
        query = SearchQuery(
            text=data["q"],
            section_slug=data["section"] or None,
            contributor_slug=data["writer"] or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
            order=data["sort"] or "relevance",
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
            # The page offers MAX_PAGE pages: past them a count would only say "more".
            count_up_to=PAGE_SIZE * MAX_PAGE,
        )
        page = services.search(query)
        results = [
            {
                "article": article,
                "title": highlight(article.title, page.terms),
                "snippet": highlight(_plain(article), page.terms, max_words=40),
            }
            for article in services.page_articles(page)
        ]
        params = request.GET.copy()
        params.pop("page", None)
        context |= {
            "query": data["q"],
            "results": results,
            "total": page.total,
            "more": page.more,
            "number": number,
            "num_pages": min(math.ceil(page.total / PAGE_SIZE), MAX_PAGE),
            "params": params.urlencode(),
        }
    return render(request, "search/results.html", context)


def _plain(article: Article) -> str:
    # The opening 4,000 characters hold the snippet in practice and bound the work per hit.
    return html_to_text(html_opening(article.body, 4000))[:4000] or article.summary
