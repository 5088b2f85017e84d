from django.apps import AppConfig
from django.conf import settings


class MonitoringConfig(AppConfig):
    name = "jarida.monitoring"
    verbose_name = "المراقبة"

    def ready(self):
        if settings.SENTRY_DSN:
            from jarida.monitoring.errors import start_error_reporting

            start_error_reporting(settings.SENTRY_DSN, settings.SENTRY_ENVIRONMENT)
