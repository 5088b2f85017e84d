"""Every body meets its limit before code reads it: 413 or 400, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

BIG = 3 * 1024 * 1024  # over Django's 2.5 MB for form and JSON bodies


def test_an_oversized_api_comment_answers_413_in_json(client, make_article):
    article = make_article()
    body = b'{"text": "' + b"a" * BIG + b'"}'
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "ميغابايت" in response.json()["message"]


def test_an_oversized_form_post_answers_413(make_article):
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/comments/post/{article.pk}/",
        b"text=" + b"a" * BIG,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


@pytest.mark.parametrize("url", ["/no/such/url/", "/comments/token/", "/api/v1/search"])
def test_multipart_without_a_boundary_answers_400(url):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, b"x=1", content_type="multipart/form-data")
    assert response.status_code == 400


def test_a_picture_upload_within_its_limit_still_reaches_the_form(admin_client):
    payload = b"\xff" * (4 * 1024 * 1024)  # bigger than a form body, smaller than an upload
    response = admin_client.post(
        "/admin/media/image/add/",
        {"alt_text": "صورة", "file": SimpleUploadedFile("big.jpg", payload)},
    )
    assert response.status_code == 200  # the form, with the picture refused as a picture
    assert response.context["adminform"].form.errors["file"]
