import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from jarida.media.images import validate_image_file
from jarida.media.models import Image
from jarida.media.services import save_image

pytestmark = pytest.mark.django_db


def _jpeg(width=2000, height=1000, exif=True) -> bytes:
    picture = PILImage.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    exif_data = PILImage.Exif()
    if exif:
        exif_data[0x010F] = "CameraMaker"  # Make
        exif_data[0x8825] = {2: (33.0, 18.0, 0.0)}  # GPS latitude
    picture.save(out, "JPEG", exif=exif_data.tobytes())
    return out.getvalue()


def test_upload_is_cleaned_and_cut_into_renditions_once(settings, tmp_path, run_tasks):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("بغداد.jpg", _jpeg(), content_type="image/jpeg")
    image = save_image(Image(file=upload, alt_text="جسر في بغداد"))
    with PILImage.open(image.file.path) as stored:
        assert not stored.getexif()  # cleaned in the request, before any worker
    assert image.renditions == [] and not (tmp_path / "renditions").exists()
    assert run_tasks() == 1  # the renditions are the worker's
    image.refresh_from_db()
    assert [r["width"] for r in image.renditions] == [480, 800, 1200, 1600]
    for rendition in image.renditions:
        with PILImage.open(tmp_path / rendition["name"]) as copy:
            assert copy.format == "WEBP" and copy.width == rendition["width"]
    assert image.srcset().count("w,") == 3
    files_before = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    save_image(image)  # saving again makes nothing new
    assert run_tasks() == 0
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files_before
    # A worker killed mid-way runs the task again: the same files, none duplicated.
    from jarida.media.services import make_image_renditions

    assert make_image_renditions(image.pk) == 4
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == files_before
    assert len([p for p in tmp_path.rglob("*.jpg")]) == 1  # the raw upload is not kept


def test_small_pictures_get_one_rendition_at_their_own_width(settings, tmp_path, run_tasks):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("x.jpg", _jpeg(300, 200, exif=False))
    image = save_image(Image(file=upload, alt_text="صورة صغيرة"))
    run_tasks()
    image.refresh_from_db()
    assert [r["width"] for r in image.renditions] == [300]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.jpg", b"this is text, not a picture", "ليس صورة"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "ليس صورة"),
        ("empty.png", b"", "ليس صورة"),
    ],
)
def test_files_that_are_not_pictures_are_refused(name, data, message):
    with pytest.raises(ValidationError, match=message):
        validate_image_file(SimpleUploadedFile(name, data))


def test_size_and_pixel_limits(settings):
    settings.JARIDA_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="أبعاد"):
        validate_image_file(SimpleUploadedFile("big.jpg", _jpeg(100, 100, exif=False)))
    settings.JARIDA_IMAGE_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="أكبر من الحد"):
        validate_image_file(SimpleUploadedFile("heavy.jpg", _jpeg(10, 10, exif=False)))


def test_alt_text_is_required():
    image = Image(file=SimpleUploadedFile("x.jpg", _jpeg(10, 10, exif=False)), alt_text="")
    with pytest.raises(ValidationError) as error:
        image.full_clean()
    assert "alt_text" in error.value.message_dict
