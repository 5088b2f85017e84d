"""Comment posting, its uncached pages, the token endpoint and the CSRF failure page.

Article pages are cached and set no cookies, so they carry no CSRF token: comments.js
fetches one from `token` when the reader starts writing. Without JavaScript the post
fails the CSRF check and `csrf_failure` answers with a confirmation page that holds
the reader's text and a fresh token; one more click sends it.
"""

from django.core import signing
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from jarida.articles.models import Article
from jarida.comments import services
from jarida.comments.forms import CommentForm, sign_started
from jarida.comments.limits import client_ip, over_limit
from jarida.comments.models import Comment

RECEIVED_SALT = "jarida.comments.received"
RATE_LIMITED = (
    "أرسلت تعليقات كثيرة في وقت قصير. انتظر بضع دقائق ثم أرسل تعليقك من جديد؛ نصّك محفوظ أدناه."
)
CONFIRM = "لم يكتمل إرسال تعليقك بعد. راجع النص ثم اضغط «أرسل التعليق» لإرساله."
STATUS_BY_CODE = {"closed": 403, "duplicate": 409, "parent": 400, "banned": 400}


def _article(article_id: int) -> Article:
    return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)


def _form_page(request, article, form, *, status=200, message="", parent=None, stamp=None):
    """The comment form on a page of its own (uncached): errors, confirmation, replies."""
    context = {
        "article": article,
        "form": form,
        "message": message,
        "parent": parent,
        "stamp": stamp or sign_started(),
        "open": services.comments_are_open(article),
    }
    return render(request, "comments/form_page.html", context, status=status)


@never_cache
@require_POST
def post_comment(request, article_id):
    article = _article(article_id)
    form = CommentForm(request.POST)
    if form.honeypot_filled:
        # Looks accepted to the bot; nothing is stored.
        return _redirect_received(None)
    if not form.is_valid():
        return _form_page(request, article, form, status=400, stamp=form.stamp_for_next_try())
    stamp = form.stamp_for_next_try()
    if over_limit(request, form.cleaned_data["email"]):
        return _form_page(request, article, form, status=429, message=RATE_LIMITED, stamp=stamp)
    submission = form.submission(
        ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    try:
        comment = services.submit_comment(article, submission)
    except services.CommentRejected as rejected:
        status = STATUS_BY_CODE.get(rejected.code, 400)
        return _form_page(
            request, article, form, status=status, message=rejected.message, stamp=stamp
        )
    return _redirect_received(comment)


def _redirect_received(comment: Comment | None):
    # Post/redirect/get: reloading the result page never sends the comment twice.
    ticket = signing.dumps(comment.pk if comment else None, salt=RECEIVED_SALT)
    return redirect(f"{reverse('comments:received')}?c={ticket}", permanent=False)


@never_cache
@require_GET
def received(request):
    """Thanks, and whether the comment is up or waits for a moderator."""
    try:
        pk = signing.loads(request.GET.get("c", ""), salt=RECEIVED_SALT, max_age=3600)
    except signing.BadSignature:
        raise Http404("لا يوجد تعليق بهذا الرابط.") from None
    comment = Comment.objects.select_related("article__section").filter(pk=pk).first()
    return render(request, "comments/received.html", {"comment": comment})


@never_cache
@require_GET
def reply(request, comment_id):
    """The form to answer one comment, for readers without JavaScript."""
    parent = get_object_or_404(
        Comment.objects.published().select_related("article__section"), pk=comment_id
    )
    article = _article(parent.article_id)
    form = CommentForm(initial={"parent": parent.pk})
    return _form_page(request, article, form, parent=parent)


@never_cache
@require_GET
def token(request):
    """A CSRF token (and cookie) and a fresh fill-time stamp, for comments.js."""
    return JsonResponse({"csrf": get_token(request), "started": sign_started()})


@never_cache
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a comment post keeps its text; anything else gets an Arabic 403."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method == "POST" and match and match.view_name == "comments:post":
        article = Article.objects.published().filter(pk=match.kwargs["article_id"]).first()
        if article is not None:
            form = CommentForm(initial=_posted(request))
            stamp = request.POST.get("started", "") or sign_started()
            return _form_page(request, article, form, message=CONFIRM, stamp=stamp)
    return render(request, "comments/csrf_403.html", status=403)


def _posted(request) -> dict:
    """What the reader typed, as posted (cleaned again when the form is sent)."""
    return {name: request.POST.get(name, "") for name in ("text", "name", "email", "parent")}
