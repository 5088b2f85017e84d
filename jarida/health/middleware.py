"""Health answers ahead of host validation, HTTPS redirects, sessions and the page cache.

Probes come from load balancers and orchestrators that send the machine's address as
Host and speak plain HTTP inside the network; neither is a reason to fail them.
"""

from jarida.health import views

ROUTES = {"/health/live": views.live, "/health/ready": views.ready}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = ROUTES.get(request.path_info.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
