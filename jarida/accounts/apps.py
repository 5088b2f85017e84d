from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    from jarida.accounts.roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "jarida.accounts"
    verbose_name = "الكتّاب والمحررون"

    def ready(self):
        from jarida.accounts.logins import start_login

        # Once per migrate; ensure_roles creates every app's permissions before using them.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="jarida-ensure-roles")
        # Every login gets its role's lifetime (jarida/accounts/logins.py).
        user_logged_in.connect(start_login, dispatch_uid="jarida-login-lifetime")
