from django.contrib import admin
from django.db.models import Sum

from jarida.sponsorship.models import Campaign, Creative, DailyStats, Placement


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "after_paragraph"]


class CreativeInline(admin.StackedInline):
    """An image with its link, or a sponsored story: the story carries «اعلان ممول» on its
    cards and page from then on (no field here or in the article form switches it off)."""

    model = Creative
    extra = 1
    autocomplete_fields = ["image", "article"]
    fields = ["placement", "article", "image", "alt_text", "link_url", "weight"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "advertiser", "starts_at", "ends_at", "weight", "active"]
    list_filter = ["active", "sections"]
    search_fields = ["name", "advertiser"]
    filter_horizontal = ["sections"]
    inlines = [CreativeInline]
    date_hierarchy = "starts_at"


@admin.register(DailyStats)
class DailyStatsAdmin(admin.ModelAdmin):
    """The report: impressions, clicks and click rate per campaign and day."""

    list_display = ["day", "campaign", "creative", "impressions", "clicks", "click_rate"]
    list_filter = ["campaign"]
    date_hierarchy = "day"
    list_select_related = ["campaign", "creative"]

    @admin.display(description="نسبة النقر")
    def click_rate(self, obj):
        return f"{obj.clicks / obj.impressions:.2%}" if obj.impressions else "—"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        try:
            rows = response.context_data["cl"].queryset
        except (AttributeError, KeyError):
            return response
        response.context_data["totals"] = rows.aggregate(Sum("impressions"), Sum("clicks"))
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
