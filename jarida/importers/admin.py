"""Back office: import runs (read-only), old links, and the agency feeds the wire fetches."""

from django.contrib import admin, messages
from django.tasks import TaskResultStatus

from jarida.desk.models import WireFeed
from jarida.importers.models import ImportedAttachment, ImportRun, LegacyPermalink


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source", "status", "created", "updated", "skipped"]
    list_display += ["failed"]
    list_filter = ["kind", "status"]
    search_fields = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LegacyPermalink)
class LegacyPermalinkAdmin(admin.ModelAdmin):
    list_display = ["path", "article"]
    list_select_related = ["article"]
    search_fields = ["path", "article__title"]
    autocomplete_fields = ["article"]


@admin.register(ImportedAttachment)
class ImportedAttachmentAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "featured_in", "image"]
    list_select_related = ["featured_in", "image"]
    search_fields = ["url", "title"]
    readonly_fields = ["featured_in", "image"]


@admin.register(WireFeed)
class WireFeedAdmin(admin.ModelAdmin):
    list_display = ["name", "format", "agency", "language", "is_active", "last_fetched_at"]
    list_display += ["last_error"]
    list_filter = ["format", "is_active", "agency"]
    list_select_related = ["agency"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["agency"]
    readonly_fields = ["last_fetched_at", "last_error"]
    actions = ["fetch_now"]

    @admin.action(description="جلب المصادر المحددة الآن")
    def fetch_now(self, request, queryset):
        # The workers fetch (a slow agency never holds the editor's request); with the
        # immediate backend the task has already run and its summaries show here.
        from jarida.desk.tasks import fetch_wire_feeds

        ids = sorted(queryset.values_list("pk", flat=True))
        result = fetch_wire_feeds.enqueue(ids)
        if result.is_finished and result.status == TaskResultStatus.SUCCESSFUL:
            outcome = result.return_value
            for summary in outcome["summaries"]:
                level = messages.ERROR if ": failed: " in summary else messages.SUCCESS
                self.message_user(request, summary, level)
            return
        self.message_user(
            request,
            f"أُرسل جلب {len(ids)} من المصادر إلى المهام الخلفية؛ "
            "تظهر نتيجته في سجل عمليات الاستيراد بعد قليل.",
            messages.INFO,
        )
