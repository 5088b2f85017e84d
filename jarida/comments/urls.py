"""Comment URLs, under /comments/ (a reserved section slug)."""

from django.urls import path

from jarida.comments import views

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("received/", views.received, name="received"),
    path("reply/<int:comment_id>/", views.reply, name="reply"),
    path("token/", views.token, name="token"),
]
