from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "jarida.readership"
    verbose_name = "القراءات والأكثر قراءة"

    def ready(self):
        from jarida.readership import signals  # noqa: F401
