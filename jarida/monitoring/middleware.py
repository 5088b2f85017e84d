"""One log line and one latency observation per request, under a request id."""

import logging
import re
import time
import uuid

from django.conf import settings

from jarida.monitoring import metrics
from jarida.monitoring.logs import request_id

logger = logging.getLogger("jarida.request")

HEADER = "X-Request-ID"
#: An id from a proxy is kept when it is a plain token (no spaces, no control characters).
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def route_of(request) -> str:
    """The URL pattern that answered (`<str:section_slug>/<int:pk>/…`), not the path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.route or "/"
    cached = getattr(request, "page_cache_route", None)  # answered before routing
    if cached is not None:
        return cached or "/"
    if request.path_info.startswith("/health/"):
        return request.path_info.rstrip("/")
    return "unmatched"


def staff_user_id(request) -> int | None:
    """The staff user's id, or None for readers (who have no session: no query for them)."""
    if not hasattr(request, "_cached_user"):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "user"):
            return None
        try:
            if not request.user.is_authenticated:  # loads the user (a reader page did not)
                return None
        except Exception:  # the database is down: the line is still logged
            return None
    user = request._cached_user
    if user.is_authenticated and user.is_staff:
        return user.pk
    return None


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        rid = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        # Not reset afterwards: Django logs a 5xx response after the middleware chain has
        # returned, and that line must carry the id too. The next request sets its own.
        request_id.set(rid)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = rid
        seconds = time.perf_counter() - started
        route = route_of(request)
        metrics.observe_request(request.method, route, response.status_code, seconds)
        fields = {
            "method": request.method,
            "path": request.path,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": staff_user_id(request),
        }
        level = logging.DEBUG if route.startswith("/health/") else logging.INFO
        logger.log(
            level,
            "%s %s %s %.1f ms",
            request.method,
            request.get_full_path(),
            response.status_code,
            seconds * 1000,
            extra=fields,
        )
        return response
