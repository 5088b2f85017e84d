"""Supplements: PDFs checked by their bytes, archives, the block, and PDFs served with
type, length, byte ranges and caching headers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jarida.supplements.models import Issue, Series

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 200 + b"trailer\n%%EOF\n"


@pytest.fixture
def issue(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        series = Series.objects.create(name="ملحق الأسبوع", slug="weekly", description="كل خميس")
        found = Issue(series=series, number=12, date=date(2026, 6, 11))
        found.pdf = SimpleUploadedFile("w12.pdf", PDF, content_type="application/pdf")
        found.full_clean()
        found.save()
    return found


def _file(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_only_real_pdfs_within_the_limit_are_accepted(issue, settings):
    series = issue.series
    fake = Issue(
        series=series, number=13, date=date(2026, 6, 18), pdf=_file("x.pdf", b"\x89PNG" * 100)
    )
    with pytest.raises(ValidationError) as error:
        fake.full_clean()
    assert "ليس PDF" in str(error.value)
    settings.JARIDA_SUPPLEMENT_MAX_BYTES = 1024
    big = Issue(series=series, number=14, date=date(2026, 6, 25), pdf=_file("b.pdf", PDF))
    with pytest.raises(ValidationError) as error:
        big.full_clean()
    assert "الحد" in str(error.value)


def test_pdf_is_served_whole_with_type_length_and_caching(client, issue):
    response = client.get(issue.get_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Accept-Ranges"] == "bytes"
    assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    again = client.get(issue.get_pdf_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-", 100, len(PDF) - 1),
        ("bytes=-15", len(PDF) - 15, len(PDF) - 1),
    ],
)
def test_pdf_byte_ranges(client, issue, header, start, end):
    response = client.get(issue.get_pdf_url(), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(PDF)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert b"".join(response.streaming_content) == PDF[start : end + 1]


def test_unsatisfiable_range_and_stale_if_range(client, issue):
    response = client.get(issue.get_pdf_url(), HTTP_RANGE=f"bytes={len(PDF) + 10}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PDF)}"
    # A range for another version of the file gets the whole (new) file.
    whole = client.get(issue.get_pdf_url(), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert whole.status_code == 200


def test_archives_and_the_block(client, issue, seed_article):
    assert "ملحق الأسبوع" in client.get("/supplements/").content.decode()
    series_page = client.get(issue.series.get_absolute_url()).content.decode()
    assert issue.get_absolute_url() in series_page
    issue_page = client.get(issue.get_absolute_url()).content.decode()
    assert issue.get_pdf_url() in issue_page
    for url in ("/", seed_article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "ملاحق المدى" in html, url  # the seed page's heading, from the site's name
        assert issue.get_absolute_url() in html
    assert client.get("/supplements/weekly/99/").status_code == 404
