"""Saving an image: metadata stripped, renditions made once (never per request)."""

from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction

from jarida.media.images import RENDITION_EXT, image_size, make_renditions, strip_metadata
from jarida.media.models import Image


@transaction.atomic
def save_image(image: Image) -> Image:
    """Save the image with a clean original and its srcset renditions."""
    if image.file and not image.renditions:
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
        image.save()
        stem = PurePosixPath(image.file.name).stem
        listing = []
        for rendition in make_renditions(clean):
            stored = image.file.storage.save(
                f"renditions/{image.pk}/{stem}-{rendition.width}.{RENDITION_EXT}",
                ContentFile(rendition.data),
            )
            listing.append({"width": rendition.width, "height": rendition.height, "name": stored})
        image.renditions = listing
    image.save()
    return image
