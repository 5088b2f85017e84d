from django.tasks import task


@task
def flush_sponsorship() -> int:
    """Write buffered impressions and clicks to the daily report (every minute or so)."""
    from jarida.sponsorship.services import flush

    return flush()
