"""Image work that takes too long for an editor's request."""

from django.tasks import task

from jarida.media import services


@task
def make_renditions(image_id: int) -> int:
    """The WebP srcset renditions of an uploaded picture (services.make_image_renditions)."""
    return services.make_image_renditions(image_id)
