"""Top-level URLs: back office, media (embedded mode), API, comments, feeds, the reader site."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from jarida.api.http import not_found_view
from jarida.api.v1 import api
from jarida.articles.admin_views import view_on_site
from jarida.monitoring.views import metrics

admin.site.site_header = "جريدة — غرفة الأخبار"
admin.site.site_title = "غرفة الأخبار"
admin.site.index_title = "إدارة المحتوى"

urlpatterns = [
    # The second factor after the password (jarida/accounts/twofactor.py), inside the
    # back office's address space, ahead of the admin's own catch-all patterns.
    path("admin/2fa/", include("jarida.accounts.urls")),
    # Ahead of the admin's own "view on site" redirect: articles follow the reading rule.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    path("admin/", admin.site.urls),
]

if settings.JARIDA_SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns += [
    path("metrics", metrics, name="metrics"),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found_view),
    path("search/", include("jarida.search.urls")),
    path("comments/", include("jarida.comments.urls")),
    path("readership/", include("jarida.readership.urls")),
    path("sponsored/", include("jarida.sponsorship.urls")),
    path("supplements/", include("jarida.supplements.urls")),
    path("pages/", include("jarida.pages.urls")),
    # Feeds claim `<section>/feed/` before the reader's section patterns see it.
    path("", include("jarida.feeds.urls")),
    path("", include("jarida.reader.urls")),
]
