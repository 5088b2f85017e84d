from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "jarida.pages"
    verbose_name = "صفحات الموقع"

    def ready(self):
        from jarida.pages import signals  # noqa: F401
