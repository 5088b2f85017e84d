from django.tasks import task


@task
def flush_views() -> int:
    """Write the buffered page views to the database (run every minute or so)."""
    from jarida.readership.counting import flush

    return flush()
