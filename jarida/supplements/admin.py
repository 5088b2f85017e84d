from django.contrib import admin

from jarida.supplements.models import Issue, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cover"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["series", "number", "date"]
    list_filter = ["series"]
    date_hierarchy = "date"
    autocomplete_fields = ["cover", "articles"]
