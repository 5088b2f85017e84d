"""Uploaded pictures: checked by what they are (not by their name), cleaned of metadata,
and cut once into the renditions pages ask for with srcset."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

#: What Pillow may decode for us. SVG is never an image here (it carries scripts).
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "AVIF", "GIF"}
RENDITION_WIDTHS = (480, 800, 1200, 1600)
RENDITION_FORMAT, RENDITION_EXT, RENDITION_QUALITY = "WEBP", "webp", 80


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "JARIDA_IMAGE_MAX_BYTES", 15 * 1024 * 1024),
        getattr(settings, "JARIDA_IMAGE_MAX_PIXELS", 40_000_000),
    )


def validate_image_file(upload) -> None:
    """Refuse files that are not a real picture of an accepted kind and size (Arabic errors)."""
    if getattr(upload, "_committed", False):
        # Already stored, so checked when it came in; a form changing only the caption
        # must not reopen (and trip over) the closed file on disk.
        return
    max_bytes, max_pixels = _limits()
    if upload.size > max_bytes:
        raise ValidationError(
            f"الملف أكبر من الحد المسموح ({max_bytes // (1024 * 1024)} ميغابايت)."
        )
    upload.seek(0)
    try:
        with PILImage.open(upload) as picture:
            kind = picture.format
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, PILImage.DecompressionBombError, OSError, SyntaxError):
        raise ValidationError(
            "هذا الملف ليس صورة يمكن قراءتها (JPEG أو PNG أو WebP أو AVIF أو GIF)."
        ) from None
    finally:
        upload.seek(0)
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(f"صيغة الصورة {kind} غير مقبولة.")
    if width * height > max_pixels:
        raise ValidationError(f"أبعاد الصورة ({width}×{height}) أكبر من الحد المسموح.")


def strip_metadata(data: bytes) -> tuple[bytes, str]:
    """The picture re-encoded upright with no EXIF, GPS or comments; and its format."""
    with PILImage.open(io.BytesIO(data)) as picture:
        kind = picture.format
        upright = ImageOps.exif_transpose(picture)
        out = io.BytesIO()
        if kind == "JPEG":
            upright.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
        elif kind == "GIF":
            upright.save(out, "GIF")
        else:
            upright.save(out, kind)
    return out.getvalue(), kind


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an encoded picture, read from its header."""
    with PILImage.open(io.BytesIO(data)) as picture:
        return picture.size


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def make_renditions(data: bytes) -> list[Rendition]:
    """WebP copies at the standard widths no wider than the original."""
    renditions = []
    with PILImage.open(io.BytesIO(data)) as picture:
        picture = picture.convert("RGB")
        for width in RENDITION_WIDTHS:
            if width >= picture.width and renditions:
                break
            width = min(width, picture.width)
            height = round(picture.height * width / picture.width)
            out = io.BytesIO()
            picture.resize((width, height), PILImage.Resampling.LANCZOS).save(
                out, RENDITION_FORMAT, quality=RENDITION_QUALITY, method=4
            )
            renditions.append(Rendition(width, height, out.getvalue()))
    return renditions
