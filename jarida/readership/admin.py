from django.contrib import admin

from jarida.readership.models import HourlyViews


@admin.register(HourlyViews)
class HourlyViewsAdmin(admin.ModelAdmin):
    list_display = ["hour", "article", "views"]
    list_select_related = ["article"]
    date_hierarchy = "hour"
    search_fields = ["article__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
