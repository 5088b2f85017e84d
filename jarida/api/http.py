"""HTTP behaviour every API answer shares: cacheable reads, JSON errors with a `message`."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from jarida.core.middleware import RETRY_AFTER_SECONDS
from jarida.reader import page_cache

logger = logging.getLogger(__name__)

#: How long a CDN or browser may reuse a read before asking again (with its ETag).
READ_MAX_AGE = 60


class ArabicJSONRenderer(JSONRenderer):
    # Arabic as UTF-8 (2 bytes a letter) instead of \uXXXX escapes (6 bytes).
    json_dumps_params = {"ensure_ascii": False}


class JaridaAPI(NinjaAPI):
    """NinjaAPI whose successful reads carry Cache-Control and an ETag, and answer
    a matching If-None-Match with 304; writes are never cached."""

    def __init__(self, **kwargs):
        super().__init__(renderer=ArabicJSONRenderer(), **kwargs)

    def create_response(self, request: HttpRequest, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method not in ("GET", "HEAD"):
            patch_cache_control(response, no_store=True)
            return response
        if response.status_code != 200:
            return response
        set_response_etag(response)
        if "_surrogate_keys" in request.__dict__ and not request.user.is_authenticated:
            # Purged by key after a change (docs/caching.md). The edge keeps them no
            # longer than browsers do: their query strings are countless, and the time
            # left before a scheduled story would cost a query per read.
            patch_cache_control(response, public=True, max_age=READ_MAX_AGE, s_maxage=READ_MAX_AGE)
            page_cache.surrogate_headers(response, page_cache.page_keys(request))
        else:
            patch_cache_control(response, public=True, max_age=READ_MAX_AGE)
        return get_conditional_response(request, etag=response["ETag"], response=response)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error is JSON with a `message` a person can read (422s add the `detail`)."""

    def error(request, message: str, status: int, detail=None):
        body = {"message": message}
        if detail is not None:
            body["detail"] = detail
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def invalid_parameters(request, exc: ValidationError):
        fields = ", ".join(".".join(str(p) for p in e["loc"][1:]) for e in exc.errors)
        return error(request, f"Invalid parameters: {fields}", 422, exc.errors)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return error(request, str(exc) or "Not found", 404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return error(request, str(exc), exc.status_code)

    @api.exception_handler(DatabaseError)
    def database_unavailable(request, exc: DatabaseError):
        if not isinstance(exc, OperationalError | InterfaceError):
            return server_error(request, exc)
        logger.warning("database unavailable: %s", exc)
        response = error(request, "Database unavailable; retry shortly.", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        logger.exception("API error on %s", request.path)
        return error(request, "Internal server error", 500)


def not_found_view(request: HttpRequest, path: str = "") -> HttpResponse:
    """Unknown paths under /api/: a JSON 404 rather than the reader site's HTML page."""
    return JsonResponse({"message": f"No API endpoint at {request.path}"}, status=404)
