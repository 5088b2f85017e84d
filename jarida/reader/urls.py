"""The public site. Fixed prefixes first; the rest of the space belongs to sections."""

from django.urls import path

from jarida.reader import views

app_name = "reader"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.icon, {"name": "favicon.ico"}, name="favicon"),
    # iOS asks for these at the root even when the page names its touch icon.
    path("apple-touch-icon.png", views.icon, {"name": "apple-touch-icon.png"}),
    path("apple-touch-icon-precomposed.png", views.icon, {"name": "apple-touch-icon.png"}),
    path("writers/<str:slug>/", views.contributor, name="contributor"),
    path("tags/<str:slug>/", views.tag, name="tag"),
    path("<str:section_slug>/", views.section, name="section"),
    path("<str:section_slug>/<int:pk>/", views.article, name="article-without-slug"),
    path("<str:section_slug>/<int:pk>/<str:slug>/", views.article, name="article"),
]
