"""`/metrics` for Prometheus: a bearer token (JARIDA_METRICS_TOKEN) or a staff session."""

import hmac

from django.conf import settings
from django.http import HttpResponse

from jarida.monitoring.metrics import exposition


def _allowed(request) -> bool:
    token = settings.JARIDA_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").encode(), token.encode())
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


def metrics(request) -> HttpResponse:
    if not _allowed(request):
        response = HttpResponse("metrics need a bearer token or a staff login\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = exposition()
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
