from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jarida.comments.limits import client_ip
from jarida.readership.counting import record_view


@csrf_exempt  # a page-view beacon changes no reader's data; a forged one is one view at most
@require_POST
@never_cache
def view_beacon(request, pk: int):
    """The article page's beacon: counts a view in the cache, never in the database."""
    record_view(pk, client_ip(request), request.META.get("HTTP_USER_AGENT", ""))
    return HttpResponse(status=204)
