"""Fetch an imported article's image from an allowed host into the media library."""

from io import BytesIO
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from PIL import Image as PILImage

from jarida.importers.fetch import FetchError, fetch
from jarida.media.models import Image

MAX_IMAGE_BYTES = 10 * 1024 * 1024
#: Raster formats only: an SVG can carry script.
FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "AVIF"}


class MediaError(Exception):
    """The image was refused or could not be fetched."""


def fetch_image(url: str, *, alt_text: str) -> Image:
    """Download, check (a real raster image, not a decompression bomb) and store an image."""
    try:
        data = fetch(url, max_bytes=MAX_IMAGE_BYTES).body
    except FetchError as error:
        raise MediaError(str(error)) from None
    try:
        with PILImage.open(BytesIO(data)) as picture:
            picture.verify()
            kind = picture.format
    except (OSError, PILImage.DecompressionBombError, SyntaxError) as error:
        raise MediaError(f"not an image: {error}") from None
    if kind not in FORMATS:
        raise MediaError(f"refused format {kind}")
    name = get_valid_filename(PurePosixPath(unquote(urlsplit(url).path)).name) or "image"
    image = Image(alt_text=(alt_text or name)[:250])
    image.file.save(f"imported/{name}", ContentFile(data), save=False)
    image.save()
    return image
