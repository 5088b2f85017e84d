"""Search indexing as background tasks: after an article's save commits, and the rebuild."""

from django.db import transaction
from django.tasks import task

from jarida.articles.models import Article
from jarida.core.signals import articles_indexed
from jarida.search import services


@task
def index_articles(article_ids: list[int]) -> int:
    """Bring the index in line with these articles as they are now; return how many.

    Idempotent (it reads the rows when it runs), so a repeat after a killed worker or a
    task that lost a race with a newer save does no harm.
    """
    done = services.reindex(article_ids)
    # After the vocabulary's own on-commit update (registered by reindex): readers of the
    # index's statistics then see these articles counted.
    transaction.on_commit(
        lambda: articles_indexed.send(sender=Article, article_ids=list(article_ids))
    )
    return done


@task
def rebuild_index(batch_size: int = 500) -> int:
    """`manage.py rebuild_search_index --enqueue`: the batched rebuild on a worker."""
    return services.rebuild_index(batch_size=batch_size)
