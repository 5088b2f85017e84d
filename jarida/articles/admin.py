"""The newsroom's forms: one article form holds its bylines, source and image."""

from django.contrib import admin

from jarida.articles import services
from jarida.articles.models import Agency, Article, Byline, Section, Tag


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["contributor"]
    fields = ["contributor", "role", "position"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    inlines = [BylineInline]
    list_display = ["title", "section", "status", "published_at", "updated_at"]
    list_filter = ["status", "section", "source_agency"]
    list_select_related = ["section"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "source_agency", "featured_image", "tags"]
    fieldsets = [
        (None, {"fields": ["kicker", "title", "summary", "body"]}),
        (
            "النشر",
            {"fields": ["section", "status", "published_at", "slug", "tags", "comments_open"]},
        ),
        ("المصدر", {"fields": ["dateline", "source_agency", "source_url"]}),
        ("الصورة", {"fields": ["featured_image"]}),
    ]

    def save_model(self, request, obj, form, change):
        services.save_article(obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_visible else None


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "other_spellings"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
