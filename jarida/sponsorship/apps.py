from django.apps import AppConfig


class SponsorshipConfig(AppConfig):
    name = "jarida.sponsorship"
    verbose_name = "الإعلانات الممولة"

    def ready(self):
        from jarida.sponsorship import signals  # noqa: F401
