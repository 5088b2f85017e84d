"""The site's URLs plus one cached reader page whose template uses the CSP nonce."""

from django.template import engines
from django.template.response import TemplateResponse
from django.urls import path

from jarida.reader.page_cache import reader_page
from jarida.urls import urlpatterns as site_urlpatterns

NONCE_TEMPLATE = engines["django"].from_string(
    '<!doctype html><title>x</title><script nonce="{{ csp_nonce }}">1</script>'
)
PLAIN_TEMPLATE = engines["django"].from_string("<!doctype html><title>x</title><p>plain</p>")


@reader_page
def page_with_nonce(request):
    return TemplateResponse(request, NONCE_TEMPLATE)


@reader_page
def page_without_nonce(request):
    return TemplateResponse(request, PLAIN_TEMPLATE)


urlpatterns = [
    path("csp-test/nonce/", page_with_nonce),
    path("csp-test/plain/", page_without_nonce),
    *site_urlpatterns,
]
