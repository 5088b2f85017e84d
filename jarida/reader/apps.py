from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "jarida.reader"
    verbose_name = "الموقع العام"

    def ready(self):
        from jarida.reader import signals

        signals.connect()
