"""Search indexing as background tasks: after an article's save commits, and the rebuild."""

from django.tasks import task

from jarida.search import services


@task
def index_articles(article_ids: list[int]) -> int:
    """Bring the index in line with these articles as they are now; return how many.

    Idempotent (it reads the rows when it runs), so a repeat after a killed worker or a
    task that lost a race with a newer save does no harm.
    """
    return services.reindex(article_ids)


@task
def rebuild_index(batch_size: int = 500) -> int:
    """`manage.py rebuild_search_index --enqueue`: the batched rebuild on a worker."""
    return services.rebuild_index(batch_size=batch_size)
