"""Background work: related stories are computed off the request, after the commit."""

from django.tasks import task

from jarida.articles.models import Article
from jarida.reader import page_cache
from jarida.reader.invalidation import invalidate
from jarida.tasks.queue import enqueue_on_commit


@task
def refresh_related(article_id: int) -> list[int]:
    from jarida.related import services

    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return []
    chosen = services.refresh_related(article)
    showing = services.refresh_cards_showing(article)
    # Pages cached since the save committed show the old cards: only the related blocks
    # of this story and of the stories whose blocks show it change (never a list page).
    invalidate([page_cache.related_key(pk) for pk in [article_id, *showing]])
    return chosen


def enqueue_after_commit(article_id: int) -> None:
    """Once the change commits (the task row is written in the same transaction on the
    database backend, so it exists exactly when the change does)."""
    enqueue_on_commit(refresh_related, article_id)
