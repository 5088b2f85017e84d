from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jarida.core"
    verbose_name = "الإعدادات العامة"

    def ready(self):
        from jarida.core.third_party import name_third_party_apps

        name_third_party_apps()
