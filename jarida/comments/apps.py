from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "jarida.comments"
    verbose_name = "تعليقات القراء"
