from django.urls import path

from jarida.sponsorship import views

app_name = "sponsorship"

urlpatterns = [
    path("click/<str:token>/", views.click, name="click"),
    path("seen/<int:pk>/", views.impression, name="impression"),
]
