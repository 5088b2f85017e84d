from django.urls import path

from jarida.pages import views

app_name = "pages"

urlpatterns = [path("<str:slug>/", views.page, name="page")]
