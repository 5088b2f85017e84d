"""Background work: related stories are computed off the request, after the commit."""

from django.db import transaction
from django.tasks import task

from jarida.articles.models import Article
from jarida.core.signals import content_changed
from jarida.related.models import RelatedArticle


@task
def refresh_related(article_id: int) -> list[int]:
    from jarida.related import services

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return []
    chosen = services.refresh_related(article)
    services.refresh_cards_showing(article)
    # The page cache was dropped when the article's save committed; pages cached since
    # then show the old cards, so drop them again now the new ones are stored.
    content_changed.send(sender=RelatedArticle)
    return chosen


def enqueue_after_commit(article_id: int) -> None:
    """Once the editor's save has committed (the search vocabulary is updated first: its
    own on-commit callback was registered earlier in the same transaction)."""
    transaction.on_commit(lambda: refresh_related.enqueue(article_id))
