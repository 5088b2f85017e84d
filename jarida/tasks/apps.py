from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "jarida.tasks"
    label = "jarida_tasks"
    verbose_name = "المهام الخلفية"
