"""Fetch an imported article's image from an allowed host into the media library."""

from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import get_valid_filename

from jarida.importers.fetch import FetchError, fetch
from jarida.media.images import validate_image_file
from jarida.media.models import Image
from jarida.media.services import save_image

MAX_IMAGE_BYTES = 10 * 1024 * 1024


class MediaError(Exception):
    """The image was refused or could not be fetched."""


def fetch_image(url: str, *, alt_text: str) -> Image:
    """Download an image and store it as an upload is stored (checked, cleaned, renditions)."""
    try:
        data = fetch(url, max_bytes=MAX_IMAGE_BYTES).body
    except FetchError as error:
        raise MediaError(str(error)) from None
    name = get_valid_filename(PurePosixPath(unquote(urlsplit(url).path)).name) or "image"
    upload = SimpleUploadedFile(f"imported-{name}", data)
    try:
        # The back office's rules, word for word: a real raster picture within the limits.
        validate_image_file(upload)
    except ValidationError as error:
        raise MediaError(" ".join(error.messages)) from None
    return save_image(Image(file=upload, alt_text=(alt_text or name)[:250]))
