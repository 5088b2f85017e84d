from django.urls import path

from jarida.supplements import views

app_name = "supplements"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:slug>/", views.series, name="series"),
    path("<str:slug>/<int:number>/", views.issue, name="issue"),
    path("<str:slug>/<int:number>/pdf/", views.pdf, name="pdf"),
]
