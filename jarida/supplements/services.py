from django.conf import settings
from django.core.cache import cache

LATEST_KEY = "supplements:latest:v1"


def latest_issues() -> list[dict]:
    """The newest issue of each series (at most JARIDA_SUPPLEMENTS_BLOCK_SIZE), cached."""
    from jarida.supplements.models import Issue

    found = cache.get(LATEST_KEY)
    if found is None:
        seen, found = set(), []
        for issue in Issue.objects.select_related("series", "cover").order_by("-date", "-number"):
            if issue.series_id in seen:
                continue
            seen.add(issue.series_id)
            found.append(
                {
                    "series": issue.series.name,
                    "number": issue.number,
                    "date": issue.date,
                    "url": issue.get_absolute_url(),
                    "cover": issue.cover.file.url if issue.cover else "",
                    "cover_alt": issue.cover.alt_text if issue.cover else "",
                }
            )
            if len(found) >= settings.JARIDA_SUPPLEMENTS_BLOCK_SIZE:
                break
        cache.set(LATEST_KEY, found, 3600)
    return found


def forget_latest(**kwargs) -> None:
    cache.delete(LATEST_KEY)
