from django.urls import path

from jarida.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.enrol, name="two-factor"),
    path("enrol/", views.enrol, name="two-factor-enrol"),
    path("verify/", views.verify, name="two-factor-verify"),
    path("backup-codes/", views.new_backup_codes, name="two-factor-backup-codes"),
]
