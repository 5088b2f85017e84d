from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "jarida.backups"
    verbose_name = "النسخ الاحتياطية"
