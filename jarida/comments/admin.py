"""The moderation queue: pending comments first, bulk approve / reject / spam."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from jarida.comments import services
from jarida.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    # A list of comments to read: each row is the reader's whole text (255 characters at
    # most) with who, when and on which story under it, then its state; one wide column
    # instead of six narrow ones that broke the text a word a line and cut the date off.
    list_display = ["comment", "state"]
    list_display_links = None  # the comment's text links to its form
    list_filter = ["status", ("article", admin.RelatedOnlyFieldListFilter), "created_at"]
    list_select_related = ["article", "article__section"]
    search_fields = ["text", "name", "email", "article__title"]
    date_hierarchy = "created_at"
    ordering = ["created_at", "pk"]
    actions = ["approve", "reject", "spam"]
    list_per_page = 50
    fields = [
        "article", "parent", "text", "name", "email", "status", "held_reason",
        "ip_address", "user_agent", "created_at", "moderated_at", "moderated_by",
    ]  # fmt: skip
    readonly_fields = [f for f in fields if f != "status"]

    class Media:
        css = {"all": ["comments/moderation-admin.css"]}

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        # The queue opens on what needs a decision: pending comments.
        if not request.GET and not request.POST:
            return HttpResponseRedirect(f"{request.path}?status__exact={Comment.Status.PENDING}")
        return super().changelist_view(request, extra_context)

    @admin.display(description="التعليق", ordering="created_at")
    def comment(self, comment):
        when = timezone.localtime(comment.created_at)
        return format_html(
            '<a class="comment-text" href="{}">{}</a>'
            '<span class="comment-meta"><bdi>{}</bdi> · <time datetime="{}">{}</time>'
            " · على «{}»</span>",
            reverse("admin:comments_comment_change", args=[comment.pk]),
            comment.text,
            comment.name or "(بلا اسم)",
            when.isoformat(timespec="seconds"),
            formats.date_format(when, "DATETIME_FORMAT"),
            Truncator(comment.article.title).words(10),
        )

    @admin.display(description="الحالة", ordering="status")
    def state(self, comment):
        if comment.held_reason:
            return format_html(
                '{}<span class="comment-meta">{}</span>',
                comment.get_status_display(),
                comment.held_reason,
            )
        return comment.get_status_display()

    def _moderate(self, request, queryset, service, done: str):
        changed = service(queryset.select_related("article__section"), by=request.user)
        self.message_user(request, f"{done}: {changed}", messages.SUCCESS)

    @admin.action(description="الموافقة على التعليقات المحددة ونشرها", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, services.approve_comments, "نُشر")

    @admin.action(description="رفض التعليقات المحددة", permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, services.reject_comments, "رُفض")

    @admin.action(description="وسم التعليقات المحددة بأنها مزعجة (سبام)", permissions=["change"])
    def spam(self, request, queryset):
        self._moderate(request, queryset, services.mark_spam, "وُسم مزعجًا")

    def save_model(self, request, obj, form, change):
        # Status changes go through the service: moderator, time and the page signal.
        if "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            services.moderate([obj], new_status, by=request.user)

    def delete_model(self, request, obj):
        services.delete_comments([obj])

    def delete_queryset(self, request, queryset):
        services.delete_comments(queryset.select_related("article__section"))
