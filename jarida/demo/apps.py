from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jarida.demo"
    verbose_name = "المحتوى التجريبي"
