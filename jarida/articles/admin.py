"""The newsroom's back office: one article form holds its bylines, source and image;
workflow buttons, revisions, a reader-exact preview and an audit log sit around it."""

from itertools import pairwise

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version

from jarida.articles import admin_views, listings, services, workflow
from jarida.articles.models import (
    Agency,
    Article,
    ArticleEvent,
    Byline,
    ScheduledArticle,
    Section,
    Tag,
    sees_every_article,
)
from jarida.core.admin_editor import RICH_TEXT_JS
from jarida.core.dates import format_arabic_datetime
from jarida.core.models import SiteSettings
from jarida.related import admin as related_admin


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["contributor"]
    fields = ["contributor", "role", "position"]


class ArticleForm(forms.ModelForm):
    # The version the form was opened on: a save from an older one is refused.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The editors' pins and exclusions of related stories (jarida/related).
    related_pinned = related_admin.pinned_field()
    related_excluded = related_admin.excluded_field()

    class Meta:
        model = Article
        # No `status`: it moves only through the workflow buttons.
        fields = [
            "kicker", "title", "summary", "body", "section", "published_at", "slug", "tags",
            "comments_open", "dateline", "source_agency", "source_url", "featured_image",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        related_admin.fill_fields(self)

    def clean(self):
        data = super().clean()
        related_admin.clean(self, data)
        loaded = data.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = Article.objects.filter(pk=self.instance.pk).values("version").first()
            if current and current["version"] != loaded:
                last = self.instance.events.select_related("actor").first()
                who = f" ({last.actor})" if last and last.actor else ""
                raise forms.ValidationError(
                    "حفظ شخص آخر هذا المقال بعد أن فتحتَه%(who)s، فلم تُحفظ تعديلاتك. "
                    "نصّك ما زال في النموذج أدناه: انسخه، ثم افتح المقال من جديد وأضفه "
                    "إلى النسخة الحالية.",
                    params={"who": who},
                    code="edit_conflict",
                )
        return data


class ScheduledFilter(admin.SimpleListFilter):
    title = "التوقيت"
    parameter_name = "timing"

    def lookups(self, request, model_admin):
        return [("scheduled", "مجدول"), ("live", "ظاهر للقراء")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.published()
        return queryset


class EventInline(admin.TabularInline):
    model = ArticleEvent
    fields = ["at", "action", "actor", "published_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "سجل التحرير"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleForm

    class Media:
        js = RICH_TEXT_JS

    inlines = [BylineInline, EventInline]
    list_display = ["title", "section", "status_label", "published_at", "updated_at"]
    list_filter = [
        "status",
        ScheduledFilter,
        "section",
        ("bylines__contributor", admin.RelatedOnlyFieldListFilter),
        "source_agency",
    ]
    list_select_related = ["section"]
    search_fields = ["title"]  # Replaced by the Arabic search in get_search_results.
    search_help_text = "بحث عربي: يجد الكلمة بأي إملاء (همزات، تاء مربوطة، تشكيل، سوابق)."
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "source_agency", "featured_image", "tags"]
    readonly_fields = ["status", "original_text", "related_now"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"

    def get_fieldsets(self, request, obj=None):
        text = ["kicker", "title", "summary", "body"]
        if obj is not None and hasattr(obj, "wire_item"):
            text = ["kicker", "title", "summary"]
        fieldsets = [(None, {"fields": [*text, "loaded_version"]})]
        if obj is not None and hasattr(obj, "wire_item"):
            # The translator's editor beside the agency's original.
            fieldsets.append(
                ("الترجمة", {"fields": ["body", "original_text"], "classes": ["translation-desk"]})
            )
        fieldsets += [
            (
                "النشر",
                {"fields": ["section", "status", "published_at", "slug", "tags", "comments_open"]},
            ),
            ("المصدر", {"fields": ["dateline", "source_agency", "source_url"]}),
            ("الصورة", {"fields": ["featured_image"]}),
            ("مقالات ذات صلة", {"fields": related_admin.FIELDS, "classes": ["collapse"]}),
        ]
        return fieldsets

    @admin.display(description="تظهر الآن")
    def related_now(self, obj):
        return related_admin.shown_now(obj)

    @admin.display(description="الأصل")
    def original_text(self, obj):
        item = obj.wire_item
        return format_html(
            '<div class="wire-original" dir="ltr" lang="{}"><h3>{}</h3>{}</div>',
            item.language,
            item.title,
            format_html_join("", "<p>{}</p>", ((p,) for p in item.plain_paragraphs())),
        )

    @admin.display(description="الحالة", ordering="status")
    def status_label(self, obj):
        return "مجدول" if obj.is_scheduled else obj.get_status_display()

    # Who sees and touches what: Article.objects.viewable_by is the one reading rule, and
    # every view here (form, preview, diffs, restore, history) finds its article through it.
    def get_queryset(self, request):
        return super().get_queryset(request).viewable_by(request.user)

    def viewable_article(self, request, pk, queryset=None) -> Article:
        """The article if this user may open it; 404 otherwise (ids reveal nothing)."""
        # Not `queryset or …`: a queryset's truth value runs it (every article, prefetched).
        base = Article.objects.all() if queryset is None else queryset
        return get_object_or_404(base.viewable_by(request.user), pk=pk)

    def get_readonly_fields(self, request, obj=None):
        # The publication time is an editor's decision: a reporter cannot backdate (or
        # post-date) a draft for the editor's publish to keep without noticing.
        if workflow.can_publish(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, "published_at"]

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_view(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def recoverlist_view(self, request, extra_context=None):
        # Deleted articles belong to nobody any more: only those who see all may list them.
        if not sees_every_article(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not sees_every_article(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        from jarida.search.services import matching_ids

        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=matching_ids(search_term, queryset)), False

    # Saving, the workflow buttons and the audit log.
    def save_model(self, request, obj, form, change):
        services.save_article(
            obj, actor=request.user, expected_version=form.cleaned_data.get("loaded_version")
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        listings.sync([form.instance.pk])  # the byline rows, saved one by one above
        related_admin.save(form, form.instance)

    def response_add(self, request, obj, post_url_continue=None):
        self._apply_workflow(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._apply_workflow(request, obj)
        return super().response_change(request, obj)

    def _apply_workflow(self, request, obj):
        action = request.POST.get("_workflow")
        if not action:
            return
        try:
            workflow.transition(obj, action, request.user)
        except workflow.TransitionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            verb = "جُدول للنشر في" if obj.is_scheduled else obj.get_status_display()
            # The site's own date format: a raw ISO stamp reads scrambled right to left.
            when = obj.published_at and format_arabic_datetime(
                obj.published_at, SiteSettings.load().date_style
            )
            self.message_user(request, f"«{obj.title}»: {verb} {when or ''}".strip())

    def delete_model(self, request, obj):
        ArticleEvent.log(obj, ArticleEvent.Action.DELETED, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            ArticleEvent.log(article, ArticleEvent.Action.DELETED, request.user)
        super().delete_queryset(request, queryset)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article()
        context["workflow_actions"] = [
            (name, workflow.TRANSITIONS[name].label)
            for name in workflow.allowed_actions(request.user, article)
        ]
        context["can_schedule"] = any(name == "publish" for name, _ in context["workflow_actions"])
        if obj is not None:
            context["preview_url"] = reverse("admin:articles_article_preview", args=[obj.pk])
            versions = Version.objects.get_for_object(obj).select_related("revision__user")
            revisions = list(versions[:10])
            for newer, older in pairwise(revisions):
                newer.next_id = older.pk  # compare each revision with the one before it
            context["revisions"] = revisions
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(
                    lambda request, pk: admin_views.preview(request, self, pk)
                ),
                name="articles_article_preview",
            ),
            path(
                "<int:pk>/restore/<int:version_id>/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/compare/<int:old_id>/<int:new_id>/",
                self.admin_site.admin_view(
                    lambda request, pk, old_id, new_id: admin_views.compare(
                        request, self, pk, old_id, new_id
                    )
                ),
                name="articles_article_compare",
            ),
        ]
        return extra + super().get_urls()

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_visible else None

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """A revision from the history list opens as a diff against the current text."""
        article = self.viewable_article(request, object_id)
        latest = get_object_or_404(Version.objects.get_for_object(article)[:1])
        return redirect("admin:articles_article_compare", article.pk, int(version_id), latest.pk)

    def restore_view(self, request, pk, version_id):
        article = self.viewable_article(request, pk)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("استعادة نسخة سابقة")
            services.restore_revision(article, version, request.user)
        self.message_user(request, "استُعيد نص النسخة المختارة؛ الحالة وموعد النشر لم يتغيرا.")
        return redirect("admin:articles_article_change", article.pk)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list to read: nothing added, changed or deleted from it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduledArticle)
class ScheduledArticleAdmin(ReadOnlyAdmin):
    """What goes out when: published articles whose time has not come, soonest first."""

    list_display = ["published_at", "title", "section"]
    list_display_links = ["title"]
    list_select_related = ["section"]
    ordering = ["published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).viewable_by(request.user).scheduled()


@admin.register(ArticleEvent)
class ArticleEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "article_title", "actor", "published_at"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["article_title"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).viewable_by(request.user)


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
