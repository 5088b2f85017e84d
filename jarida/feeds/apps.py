from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "jarida.feeds"
    verbose_name = "الخلاصات وخرائط الموقع"
