from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "jarida.importers"
    verbose_name = "الاستيراد"
