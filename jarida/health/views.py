"""`/health/live` and `/health/ready`: what a process manager and a load balancer ask."""

from django.http import JsonResponse

from jarida.health.checks import readiness


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def live(request) -> JsonResponse:
    """The process answers: nothing else is touched (no database, cache or disk)."""
    return _json({"status": "ok"})


def ready(request) -> JsonResponse:
    """200 when every dependency answers, else 503 with the failing checks and why."""
    results = readiness()
    failing = {name: check.details.get("error", "") for name, check in results.items()
               if not check.ok}  # fmt: skip
    body = {
        "status": "fail" if failing else "ok",
        "failing": [f"{name}: {reason}" for name, reason in failing.items()],
        "checks": {name: check.as_dict() for name, check in results.items()},
    }
    return _json(body, 503 if failing else 200)
