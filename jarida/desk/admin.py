"""The translation desk's queue: what came in from the agencies, who took it, what ran."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from jarida.desk import services
from jarida.desk.models import WireItem


class StateFilter(admin.SimpleListFilter):
    title = "الحالة"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "ينتظر مترجمًا"), ("taken", "قيد الترجمة"), ("mine", "أخذتُها")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "taken":
            return queryset.taken()
        if self.value() == "mine":
            return queryset.filter(taken_by=request.user)
        return queryset


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "received_at", "state_label", "action"]
    list_filter = [StateFilter, "feed__agency", "language"]
    list_select_related = ["feed__agency", "taken_by", "article"]
    search_fields = ["title"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "feed", "guid", "url", "title", "body", "language", "original_published_at",
        "received_at", "taken_by", "taken_at", "article",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # items arrive from the feeds only

    @admin.display(description="الوكالة", ordering="feed__agency__name")
    def agency(self, item):
        return item.feed.agency

    @admin.display(description="الحالة")
    def state_label(self, item):
        return item.state

    @admin.display(description="")
    def action(self, item):
        if item.article_id:
            url = reverse("admin:articles_article_change", args=[item.article_id])
            return format_html('<a href="{}">افتح الترجمة</a>', url)
        if item.taken_by_id:
            return ""
        url = reverse("admin:desk_wireitem_start", args=[item.pk])
        return format_html('<a class="button" href="{}">ابدأ الترجمة</a>', url)

    def get_urls(self):
        start = self.admin_site.admin_view(self.start_view)
        return [path("<int:pk>/start/", start, name="desk_wireitem_start"), *super().get_urls()]

    def start_view(self, request, pk):
        """GET: the original and a confirm button; POST: take it and open the draft."""
        if not self.has_change_permission(request):
            messages.error(request, "ليست لديك صلاحية أخذ أخبار الوكالات.")
            return redirect("admin:desk_wireitem_changelist")
        item = get_object_or_404(WireItem.objects.select_related("feed__agency"), pk=pk)
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": "بدء الترجمة",
                "item": item,
                "opts": self.opts,
            }
            return TemplateResponse(request, "admin/desk/wireitem/start.html", context)
        try:
            draft = services.start_translation(item, request.user)
        except services.AlreadyTaken as taken:
            messages.error(request, str(taken))
            return redirect("admin:desk_wireitem_changelist")
        messages.success(request, "أُنشئت مسودة الترجمة. الأصل بجانب المحرر.")
        return redirect("admin:articles_article_change", draft.pk)
