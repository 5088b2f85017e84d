from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jarida.readership.counting import is_bot
from jarida.sponsorship import services


@never_cache
def click(request, token: str):
    """A signed click address: counted in the cache, then off to the advertiser.

    The target travels inside the signature: an altered or forged address is refused
    (400), so the site cannot be used as an open redirect."""
    found = services.click_target(token)
    if found is None:
        return HttpResponseBadRequest("رابط إعلان غير صالح.")
    creative, target = found
    if not is_bot(request.META.get("HTTP_USER_AGENT", "")):
        services.record("click", creative)
    response = HttpResponseRedirect(target)
    response["Referrer-Policy"] = "origin"
    return response


@csrf_exempt  # a beacon from a cached page carries no token; it changes no one's data
@require_POST
@never_cache
def impression(request, pk: int):
    if not is_bot(request.META.get("HTTP_USER_AGENT", "")):
        services.record("impression", pk)
    return HttpResponse(status=204)
