from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jarida.core"
    verbose_name = "الإعدادات العامة"
