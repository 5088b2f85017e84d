"""Editors' hand on related stories, inside the article form: pin or exclude."""

from django.contrib import admin

from jarida.related.models import RelatedArticle, RelatedChoice


class RelatedChoiceInline(admin.TabularInline):
    model = RelatedChoice
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["other"]
    fields = ["other", "kind", "position"]
    verbose_name_plural = "مقالات ذات صلة: تثبيت واستبعاد (تُحسب البقية تلقائيًا عند الحفظ)"


class RelatedArticleInline(admin.TabularInline):
    """What the selection stored at the last save, for editors to see (read only)."""

    model = RelatedArticle
    fk_name = "article"
    extra = 0
    can_delete = False
    fields = ["position", "related", "pinned", "score"]
    readonly_fields = fields
    verbose_name_plural = "مقالات ذات صلة كما تظهر للقراء"

    def has_add_permission(self, request, obj=None):
        return False
