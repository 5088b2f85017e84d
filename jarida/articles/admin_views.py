"""Back-office pages beside the article form: reader-exact preview and revision diffs."""

import difflib
import re
from html import escape

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from reversion.models import Version

from jarida.articles.models import Article
from jarida.core.text import html_paragraphs

_WORDS = re.compile(r"\S+\s*|\s+")  # a word with the space after it


def preview(request, model_admin, pk):
    """The article exactly as readers will see it, at an admin URL no reader can reach."""
    article = model_admin.viewable_article(request, pk, Article.objects.for_page())
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    response = render(
        request,
        "reader/article.html",
        {"article": article, "section": article.section, "preview": True},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def view_on_site(request, content_type_id, object_id):
    """Django's admin "view on site" redirect, which names an article's slug (its title):
    for articles, only to staff who may open that article; other models as Django does."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist:
        raise Http404 from None
    if model is not None and issubclass(model, Article):
        if not str(object_id).isdigit():
            raise Http404
        get_object_or_404(Article.objects.viewable_by(request.user), pk=object_id)
    return shortcut(request, content_type_id, object_id)


def word_diff(old: str, new: str) -> str:
    """HTML of `new` against `old`, word by word: <del> for removed, <ins> for added."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)


def compare(request, model_admin, pk, old_id, new_id):
    """Title and body of two revisions, differences marked, read right to left."""
    article = model_admin.viewable_article(request, pk)
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    admin_site = model_admin.admin_site
    versions = Version.objects.get_for_object(article)
    old = get_object_or_404(versions, pk=old_id).field_dict
    new = get_object_or_404(versions, pk=new_id).field_dict
    old_paras, new_paras = (
        html_paragraphs(old.get("body", "")),
        html_paragraphs(new.get("body", "")),
    )
    rows = []
    matcher = difflib.SequenceMatcher(a=old_paras, b=new_paras, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old_paras[i1:i2], new_paras[j1:j2]
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            rows.append({"changed": op != "equal", "diff": mark_safe(word_diff(before, after))})
    context = {
        **admin_site.each_context(request),
        "title": f"مقارنة نسختين: {article.title}",
        "article": article,
        "opts": Article._meta,
        "title_diff": mark_safe(word_diff(old.get("title", ""), new.get("title", ""))),
        "rows": rows,
        "old_version": versions.get(pk=old_id),
        "new_version": versions.get(pk=new_id),
    }
    return render(request, "admin/articles/article/compare.html", context)
