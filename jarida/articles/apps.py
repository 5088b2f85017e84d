from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "jarida.articles"
    verbose_name = "الأخبار والمقالات"

    def ready(self):
        from jarida.articles import listings, signals  # noqa: F401
