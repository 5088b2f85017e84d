"""Background work: related stories are computed off the request, after the commit."""

from django.db import transaction
from django.tasks import task

from jarida.articles.models import Article


@task
def refresh_related(article_id: int) -> list[int]:
    from jarida.related import services

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return []
    chosen = services.refresh_related(article)
    services.refresh_cards_showing(article)
    return chosen


def enqueue_after_commit(article_id: int) -> None:
    """Once the editor's save has committed (the search vocabulary is updated first: its
    own on-commit callback was registered earlier in the same transaction)."""
    transaction.on_commit(lambda: refresh_related.enqueue(article_id))
