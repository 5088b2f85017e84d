from django.urls import path

from jarida.readership import views

app_name = "readership"

urlpatterns = [path("views/<int:pk>/", views.view_beacon, name="view")]
