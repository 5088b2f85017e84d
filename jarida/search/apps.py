from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "jarida.search"
    verbose_name = "البحث"

    def ready(self):
        from jarida.search import signals  # noqa: F401
