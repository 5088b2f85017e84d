from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "jarida.desk"
    verbose_name = "مكتب الترجمة"
