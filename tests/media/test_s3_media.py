"""Media in an S3-compatible bucket (django-storages), on a real S3 protocol server (moto's)."""

import io
import json
import urllib.request

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from jarida.config import media_origin, media_storage
from jarida.media.models import Image
from jarida.media.services import save_image

BUCKET = "jarida-media"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture
def s3_media(s3_server, settings):
    """Uploads go to a bucket on a local S3 server; its endpoint's URL."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_server)
    client.create_bucket(Bucket=BUCKET)
    # Readers fetch pictures anonymously: the bucket policy docs/operations.md shows.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    settings.STORAGES = settings.STORAGES | {"default": media_storage(BUCKET, s3_server)}
    return s3_server


def _jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (1000, 600), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.django_db
def test_pictures_and_renditions_are_stored_in_the_bucket(s3_media, tmp_path, settings, run_tasks):
    import boto3

    settings.MEDIA_ROOT = tmp_path  # nothing may land on the local disk
    image = save_image(Image(file=SimpleUploadedFile("جسر.jpg", _jpeg()), alt_text="جسر"))
    run_tasks()  # the renditions, made by the worker
    image.refresh_from_db()
    stored = {
        o["Key"]
        for o in boto3.client("s3", endpoint_url=s3_media).list_objects_v2(Bucket=BUCKET)[
            "Contents"
        ]
    }
    assert image.file.name in stored
    assert {r["name"] for r in image.renditions} <= stored
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
    # Pages link straight to the bucket, without an expiring signature.
    first_url = image.srcset().split(" ")[0]
    assert first_url.startswith(f"{s3_media}/{BUCKET}/")
    assert "Signature" not in first_url and "X-Amz" not in first_url
    with urllib.request.urlopen(first_url) as answer:
        assert PILImage.open(io.BytesIO(answer.read())).format == "WEBP"
    # Another app server (a fresh model instance) reads the same picture back.
    again = Image.objects.get(pk=image.pk)
    assert (again.width, again.height) == (1000, 600)


def test_without_a_bucket_media_stay_in_the_data_directory():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_origin("") == ""
    assert media_origin("b", "https://s3.example.net:9000/x") == "https://s3.example.net:9000"
    assert media_origin("b", domain="img.news.example") == "https://img.news.example"
    assert media_origin("b") == "https://b.s3.amazonaws.com"
