from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jarida.accounts"
    verbose_name = "الكتّاب والمحررون"
