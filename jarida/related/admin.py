"""Editors' hand on related stories, inside the article form: pin or exclude.

Two plain fields on the article form (one address or number per line) rather than an
inline: an inline's management form would make every existing way of posting the form
(scripts, tests, other desks' tools) invalid, and editors copy a story's address anyway.
"""

import re

from django import forms
from django.utils.html import format_html, format_html_join

from jarida.articles.models import Article
from jarida.related import services
from jarida.related.models import RelatedArticle, RelatedChoice

FIELDS = ["related_pinned", "related_excluded", "related_now"]
_ID_IN_URL = re.compile(r"/(\d+)(?:/[^/\s]*)?/?$")
HELP = "مقال في كل سطر: رابطه على الموقع أو رقمه."


def parse_refs(text: str) -> list[int]:
    """Article ids from lines holding an id or a reader URL (`/politics/123/slug/`)."""
    ids = []
    for line in text.splitlines():
        line = line.strip().split("?")[0].split("#")[0]
        if not line:
            continue
        if line.isdigit():
            ids.append(int(line))
            continue
        found = _ID_IN_URL.search(line)
        if not found:
            raise forms.ValidationError(f"لم نجد رقم مقال في «{line}».", code="bad_reference")
        ids.append(int(found.group(1)))
    return list(dict.fromkeys(ids))


class RefsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 2, "dir": "ltr", "cols": 60})

    def clean(self, value):
        ids = parse_refs(super().clean(value) or "")
        known = set(Article.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [str(pk) for pk in ids if pk not in known]
        if missing:
            raise forms.ValidationError(f"لا مقال بالرقم: {'، '.join(missing)}.", code="unknown")
        return ids


def pinned_field() -> RefsField:
    return RefsField(
        label="مقالات ذات صلة مثبتة", required=False, help_text=f"تظهر أولًا بهذا الترتيب. {HELP}"
    )


def excluded_field() -> RefsField:
    return RefsField(label="مقالات لا تظهر ذات صلة", required=False, help_text=HELP)


def fill_fields(form) -> None:
    """Fill the article form's two fields from the stored choices."""
    if not form.instance.pk:
        return
    choices = RelatedChoice.objects.filter(article=form.instance)
    for name, kind in (
        ("related_pinned", RelatedChoice.Kind.PIN),
        ("related_excluded", RelatedChoice.Kind.EXCLUDE),
    ):
        if name in form.fields:
            ids = [str(c.other_id) for c in choices if c.kind == kind]
            form.fields[name].initial = "\n".join(ids)


def clean(form, data: dict) -> None:
    pinned, excluded = data.get("related_pinned") or [], data.get("related_excluded") or []
    if form.instance.pk and form.instance.pk in {*pinned, *excluded}:
        form.add_error("related_pinned", "لا يكون المقال ذا صلة بنفسه.")
    if set(pinned) & set(excluded):
        form.add_error("related_excluded", "مقال مثبت ومستبعد معًا: اختر أحدهما.")


def save(form, article) -> None:
    """Store the editor's choices when the form carried them (a script posting the article
    form without these fields leaves the choices as they were)."""
    if "related_pinned" in form.data or "related_excluded" in form.data:
        services.set_choices(
            article,
            pinned=form.cleaned_data.get("related_pinned") or [],
            excluded=form.cleaned_data.get("related_excluded") or [],
        )


def shown_now(article) -> str:
    """The related stories readers see now, as the last computation stored them."""
    if not article or not article.pk:
        return "تُحسب عند الحفظ."
    cards = RelatedArticle.objects.filter(article=article).select_related("related")
    if not cards:
        return "لا شيء بعد (تُحسب عند النشر والتعديل)."
    return format_html(
        "<ol>{}</ol>",
        format_html_join(
            "",
            "<li>{}{} <small>({})</small></li>",
            ((c.related.title, " 📌" if c.pinned else "", f"{c.score:.2f}") for c in cards),
        ),
    )
