"""Limits every request body meets before any code reads it."""

import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

#: What a 503 tells clients (and CDNs) to wait before asking again, in seconds.
RETRY_AFTER_SECONDS = 30


def _refuse(request, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


class RequestLimitsMiddleware:
    """Too large a body answers 413 at once (never a 500 deep inside a view); a body whose
    declared length or multipart boundary is missing or malformed answers 400; a path with
    a NUL in it answers 404.

    Form and JSON bodies may be DATA_UPLOAD_MAX_MEMORY_SIZE; multipart bodies (pictures
    uploaded in the back office) JARIDA_MAX_UPLOAD_BYTES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            # No address holds a NUL (slugs are cleaned), and PostgreSQL refuses it in a
            # query: a 404 here, not a 500 from the lookup of `/a%00b/`.
            raise Http404("NUL in the path")
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit():
            return _refuse(request, 400, "طول الطلب غير صالح.")
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.lower().startswith("multipart/")
        limit = (
            settings.JARIDA_MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if int(declared) > limit:
            return _refuse(
                request,
                413,
                f"الطلب أكبر من الحد المسموح ({limit // (1024 * 1024)} ميغابايت).",
            )
        if multipart and "boundary=" not in content_type.lower():
            return _refuse(request, 400, "طلب متعدد الأجزاء بلا حدود (boundary).")
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with Retry-After, in Arabic, instead
    of a 500 with a traceback per request (pages already in the page cache keep being
    served from it, since a cache hit touches no database)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable: %s", exception)
        response = _refuse(
            request,
            503,
            "الموقع لا يصل إلى قاعدة بياناته الآن. أعد المحاولة بعد قليل.",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
