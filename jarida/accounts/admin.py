from django.contrib import admin

from jarida.accounts.models import Contributor


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "login", "user"]
    search_fields = ["name", "slug", "login", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
