from django.apps import AppConfig
from django.conf import settings


class MonitoringConfig(AppConfig):
    name = "jarida.monitoring"
    verbose_name = "المراقبة"

    def ready(self):
        from django.tasks.signals import task_enqueued, task_finished, task_started

        from jarida.monitoring import metrics

        for signal, event in (
            (task_enqueued, "enqueued"),
            (task_started, "started"),
            (task_finished, "finished"),
        ):
            signal.connect(
                lambda sender, task_result, event=event, **kwargs: metrics.count_task(
                    event, task_result
                ),
                weak=False,
                dispatch_uid=f"jarida.monitoring.tasks.{event}",
            )
        if settings.SENTRY_DSN:
            from jarida.monitoring.errors import start_error_reporting

            start_error_reporting(settings.SENTRY_DSN, settings.SENTRY_ENVIRONMENT)
