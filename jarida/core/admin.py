from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from jarida.core.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list view goes straight to its form."""

    fieldsets = [
        (None, {"fields": ["site_name", "tagline"]}),
        (
            "التواريخ والأرقام",
            {"fields": ["month_names", "digits", "show_hijri", "card_date_format"]},
        ),
        ("الخلاصات", {"fields": ["feed_full_content"]}),
        (
            "روابط التواصل",
            {
                "fields": [
                    "facebook_url",
                    "twitter_url",
                    "instagram_url",
                    "youtube_url",
                    "linkedin_url",
                    "pinterest_url",
                    "show_rss_link",
                ]
            },
        ),
        (
            "التعليقات",
            {
                "fields": [
                    "comment_default_name",
                    "comment_moderation",
                    "comment_trusted_after",
                    "comment_close_after_days",
                    "comment_max_links",
                    "comment_banned_words",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = SiteSettings.load()
        return HttpResponseRedirect(reverse("admin:core_sitesettings_change", args=[settings.pk]))
