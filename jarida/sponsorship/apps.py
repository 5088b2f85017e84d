from django.apps import AppConfig


class SponsorshipConfig(AppConfig):
    name = "jarida.sponsorship"
    verbose_name = "الإعلانات الممولة"

    def ready(self):
        from jarida.reader.page_cache import register_clock_change
        from jarida.sponsorship import signals  # noqa: F401
        from jarida.sponsorship.services import next_change_cached

        register_clock_change(next_change_cached)
