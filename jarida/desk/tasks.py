"""The desk's background work: fetching the agencies' wires, on a schedule or on demand."""

from django.tasks import task

from jarida.importers import wire


@task
def fetch_wire_feeds(feed_ids: list[int] | None = None) -> dict:
    """Fetch the active feeds (or those given) into the desk's queue; one ImportRun.

    Idempotent: items already queued (same guid or same text) are counted as duplicates,
    so a run repeated after a killed worker adds nothing twice.
    """
    report, results = wire.fetch_and_record(feed_ids)
    return {"summaries": [r.summary() for r in results], "failed": report.failed}
