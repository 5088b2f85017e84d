"""Arabic names for the third-party apps a site manager sees in the admin's sidebar.

Their own names are English and partly not marked for translation ("TOTP device",
"Tasks Database Backend"), so `CoreConfig.ready()` renames them here once every app is
loaded. Only display names change: INSTALLED_APPS, the labels, tables and migrations stay
the packages' own (a name set on `_meta` is not part of a model's migration state).
"""

from django.apps import apps

#: app label → (the app's name, {model name: (singular, plural)})
ARABIC_NAMES = {
    "axes": (
        "محاولات الدخول",
        {
            "accessattempt": ("محاولة دخول فاشلة", "محاولات الدخول الفاشلة"),
            "accessfailurelog": ("سجل إخفاق", "سجل الإخفاقات"),
            "accesslog": ("سجل دخول", "سجل الدخول"),
            "accessattemptexpiration": ("انتهاء حظر", "انتهاء الحظر"),
        },
    ),
    "otp_totp": (
        "التحقق بخطوتين: تطبيقات الرموز",
        {"totpdevice": ("تطبيق رموز", "تطبيقات الرموز")},
    ),
    "otp_static": (
        "التحقق بخطوتين: الرموز الاحتياطية",
        {
            "staticdevice": ("مجموعة رموز احتياطية", "مجموعات الرموز الاحتياطية"),
            "statictoken": ("رمز احتياطي", "الرموز الاحتياطية"),
        },
    ),
    "django_tasks_database": (
        "المهام في الخلفية",
        {"dbtaskresult": ("نتيجة مهمة", "نتائج المهام")},
    ),
}


def name_third_party_apps() -> None:
    for label, (app_name, models) in ARABIC_NAMES.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:  # not installed here
            continue
        config.verbose_name = app_name
        for model in config.get_models():
            if model._meta.model_name in models:
                model._meta.verbose_name, model._meta.verbose_name_plural = models[
                    model._meta.model_name
                ]
