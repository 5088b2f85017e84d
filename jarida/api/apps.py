from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jarida.api"
    verbose_name = "واجهة البرمجة"
