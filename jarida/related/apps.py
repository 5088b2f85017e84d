from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "jarida.related"
    verbose_name = "مقالات ذات صلة"

    def ready(self):
        from jarida.related import signals  # noqa: F401
