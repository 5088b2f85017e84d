"""Arabic names for the third-party apps a site manager sees in the admin's sidebar.

Their own names are English and partly not marked for translation ("TOTP device",
"Tasks Database Backend"), so the Arabic is set here, on the app configs INSTALLED_APPS
names. Only display names change: the labels, tables and migrations stay the packages'
own (a name set on `_meta` is not part of a model's migration state).
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


def _name_models(config: AppConfig, names: dict[str, tuple[str, str]]) -> None:
    for model in config.get_models():
        if model._meta.model_name in names:
            model._meta.verbose_name, model._meta.verbose_name_plural = names[
                model._meta.model_name
            ]


class AxesConfig(AxesAppConfig):
    verbose_name = "محاولات الدخول"

    def ready(self):
        super().ready()
        _name_models(
            self,
            {
                "accessattempt": ("محاولة دخول فاشلة", "محاولات الدخول الفاشلة"),
                "accessfailurelog": ("سجل إخفاق", "سجل الإخفاقات"),
                "accesslog": ("سجل دخول", "سجل الدخول"),
                "accessattemptexpiration": ("انتهاء حظر", "انتهاء الحظر"),
            },
        )


class TotpConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = "التحقق بخطوتين: تطبيقات الرموز"

    def ready(self):
        _name_models(self, {"totpdevice": ("تطبيق رموز", "تطبيقات الرموز")})


class StaticConfig(AppConfig):
    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = "التحقق بخطوتين: الرموز الاحتياطية"

    def ready(self):
        _name_models(
            self,
            {
                "staticdevice": ("مجموعة رموز احتياطية", "مجموعات الرموز الاحتياطية"),
                "statictoken": ("رمز احتياطي", "الرموز الاحتياطية"),
            },
        )


class TasksConfig(TasksAppConfig):
    verbose_name = "المهام في الخلفية"

    def ready(self):
        super().ready()
        _name_models(self, {"dbtaskresult": ("نتيجة مهمة", "نتائج المهام")})
