from django.apps import AppConfig


class SupplementsConfig(AppConfig):
    name = "jarida.supplements"
    verbose_name = "الملاحق"

    def ready(self):
        from jarida.supplements import signals  # noqa: F401
