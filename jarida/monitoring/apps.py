from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jarida.monitoring"
    verbose_name = "المراقبة"
