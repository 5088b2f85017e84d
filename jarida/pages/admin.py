from django.contrib import admin

from jarida.core.admin_editor import RICH_TEXT_JS
from jarida.pages.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "in_footer", "position", "updated_at"]
    list_editable = ["in_footer", "position"]
    prepopulated_fields = {"slug": ["title"]}

    class Media:
        js = RICH_TEXT_JS
