"""Supplement archives and their PDFs (type, length, byte ranges, caching headers)."""

import re

from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date

from jarida.supplements.models import Issue, Series

CHUNK = 64 * 1024
PDF_MAX_AGE = 24 * 3600
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def index(request):
    series = Series.objects.all()
    return render(request, "supplements/index.html", {"all_series": series})


def series(request, slug):
    found = get_object_or_404(Series, slug=slug)
    issues = found.issues.select_related("cover")
    return render(request, "supplements/series.html", {"series": found, "issues": issues})


def issue(request, slug, number):
    found = get_object_or_404(
        Issue.objects.select_related("series", "cover"), series__slug=slug, number=number
    )
    articles = found.articles.filter(status="published").select_related("section")
    context = {"issue": found, "series": found.series, "articles": articles}
    return render(request, "supplements/issue.html", context)


def _chunks(file, start: int, length: int):
    with file.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def pdf(request, slug, number):
    """The issue's PDF: the whole file, or one byte range (readers' PDF viewers ask for
    pages as they scroll). Django's FileResponse answers no Range header, hence this."""
    found = get_object_or_404(Issue, series__slug=slug, number=number)
    size = found.pdf.size
    modified = found.pdf.storage.get_modified_time(found.pdf.name).timestamp()
    etag = f'"{found.pk}-{size}-{int(modified)}"'
    headers = {
        "Content-Type": "application/pdf",
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Cache-Control": f"public, max-age={PDF_MAX_AGE}",
        "Content-Disposition": f'inline; filename="{slug}-{number}.pdf"',
    }
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={k: headers[k] for k in ("ETag", "Cache-Control")})
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    match = _RANGE.fullmatch(wanted.strip()) if wanted else None
    if match and (if_range is None or if_range == etag):
        first, last = match.groups()
        if first == "" and last == "":
            match = None
        elif first == "":  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        else:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        if match:
            if start >= size or start > end:
                return HttpResponse(
                    status=416,
                    headers={"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"},
                )
            response = StreamingHttpResponse(_chunks(found.pdf, start, end - start + 1), status=206)
            for name, value in headers.items():
                response[name] = value
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
            return response
    response = StreamingHttpResponse(_chunks(found.pdf, 0, size))
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(size)
    return response
