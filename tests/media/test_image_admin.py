"""Editors correct a picture's words (caption, alt text, credit) in the back office."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from jarida.media.models import Image
from jarida.media.services import save_image

pytestmark = pytest.mark.django_db


def _jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (900, 600), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ed", "e@example.com", "pw"))
    return client


def test_editing_a_caption_keeps_the_picture_and_its_renditions(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = save_image(
        Image(file=SimpleUploadedFile("جسر.jpg", _jpeg()), alt_text="جسر", caption="قديم")
    )
    stored, renditions = image.file.name, image.renditions
    response = editor_client.post(
        f"/admin/media/image/{image.pk}/change/",
        {"alt_text": "جسر الجمهورية", "caption": "تعليق مصحح", "credit": "تصوير: سارة"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image.refresh_from_db()
    assert (image.caption, image.alt_text, image.credit) == (
        "تعليق مصحح",
        "جسر الجمهورية",
        "تصوير: سارة",
    )
    assert image.file.name == stored and image.renditions == renditions


def test_replacing_the_file_is_still_checked(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = save_image(Image(file=SimpleUploadedFile("a.jpg", _jpeg()), alt_text="صورة"))
    response = editor_client.post(
        f"/admin/media/image/{image.pk}/change/",
        {"alt_text": "صورة", "file": SimpleUploadedFile("x.jpg", b"not a picture")},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    stored = image.file.name
    image.refresh_from_db()
    assert image.file.name == stored


def test_picture_form_labels_its_size_in_arabic(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = save_image(Image(file=SimpleUploadedFile("جسر.jpg", _jpeg()), alt_text="جسر"))
    html = editor_client.get(f"/admin/media/image/{image.pk}/change/").text
    assert "العرض (بكسل)" in html and "الارتفاع (بكسل)" in html
    assert ">Width" not in html and ">Height" not in html
