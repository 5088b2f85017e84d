"""Saving an image: metadata stripped at once, renditions made by a worker (never per request)."""

from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction

from jarida.media.images import RENDITION_EXT, image_size, make_renditions, strip_metadata
from jarida.media.models import Image
from jarida.tasks.queue import enqueue_on_commit


@transaction.atomic
def save_image(image: Image) -> Image:
    """Save the image with a clean original; its srcset renditions follow after the commit.

    The metadata (EXIF, GPS) is stripped here, in the request: an upload is never stored
    raw, not even for the moment a worker takes to get to it. Cutting the four WebP
    renditions is the slow part (a second or more for a large photo) and goes to the
    queue (`media.tasks.make_renditions`); until it has run, pages show the clean
    original alone (`jarida.media.html.picture`).
    """
    new_picture = bool(image.file) and (not image.file._committed or image.pk is None)
    if new_picture:
        # A stored original is replaced by its clean copy; an upload is never stored raw.
        stored_original = image.file.name if image.file._committed else None
        image.file.open("rb")
        data = image.file.read()
        image.file.close()
        clean, _ = strip_metadata(data)
        image.file.save(PurePosixPath(image.file.name).name, ContentFile(clean), save=False)
        # Stored with the row: an Image loaded without them opens its file to measure it,
        # on every page that shows it (Django's ImageField fills empty dimension fields).
        image.width, image.height = image_size(clean)
        if stored_original and stored_original != image.file.name:
            image.file.storage.delete(stored_original)
        image.renditions = []
    image.save()
    if new_picture:
        from jarida.media import tasks

        enqueue_on_commit(tasks.make_renditions, image.pk)
    return image


def make_image_renditions(image_id: int) -> int:
    """Cut the image's current file into its renditions; return how many (0: image gone).

    Idempotent: the names depend only on the image and the width, and a file already
    there (a run cut short by a killed worker) is replaced, never duplicated.
    """
    image = Image.objects.filter(pk=image_id).first()
    if image is None or not image.file:
        return 0
    storage = image.file.storage
    with image.file.open("rb") as source:
        data = source.read()
    stem = PurePosixPath(image.file.name).stem
    listing = []
    for rendition in make_renditions(data):
        name = f"renditions/{image.pk}/{stem}-{rendition.width}.{RENDITION_EXT}"
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, ContentFile(rendition.data))
        listing.append({"width": rendition.width, "height": rendition.height, "name": stored})
    kept = {entry["name"] for entry in listing}
    for old in image.renditions:
        if old["name"] not in kept:
            storage.delete(old["name"])  # the renditions of a picture since replaced
    # Only the renditions column: a caption edited meanwhile is not written back.
    Image.objects.filter(pk=image.pk).update(renditions=listing)
    return len(listing)
