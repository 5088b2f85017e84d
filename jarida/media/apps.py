from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "jarida.media"
    label = "media"
    verbose_name = "الوسائط"
