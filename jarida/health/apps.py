from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "jarida.health"
    verbose_name = "الصحة"
