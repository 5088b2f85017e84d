"""Reader comments of an article: the published thread, and posting one.

Posting follows the web form's rules through the same form fields and services: cleaning
and the 255 limit, rate limits per IP and per e-mail, closed comments, banned words,
duplicates, moderation. The honeypot and the minimum fill time are the form's defences
against bots filling HTML forms; a JSON client never sees the form, so they do not apply.
The endpoint is CSRF-exempt (django-ninja views are: anonymous clients have no cookie to
protect); the rate limits stand in for the token.
"""

from django.http import HttpRequest
from ninja import Router, Status

from jarida.api.articles import ArticleId, visible_article
from jarida.api.schemas import CommentAccepted, CommentIn, CommentThread, Error, local
from jarida.comments import services
from jarida.comments.forms import CommentForm
from jarida.comments.limits import client_ip, over_limit
from jarida.comments.views import STATUS_BY_CODE
from jarida.core.models import SiteSettings
from jarida.reader import page_cache

router = Router(tags=["comments"])

RATE_LIMITED = "أرسلت تعليقات كثيرة في وقت قصير. انتظر بضع دقائق ثم أرسل تعليقك من جديد."
PUBLISHED = "نُشر تعليقك."
PENDING = "وصل تعليقك وسيظهر بعد أن يراجعه المشرف."


class ApiCommentForm(CommentForm):
    """The web form's fields, cleaning and limits, without its fill-time stamp."""

    def clean(self):
        return self.cleaned_data


@router.get(
    "/{article_id}/comments",
    response={200: CommentThread, 404: Error, 422: Error},
    summary="Published comments of an article, oldest first, replies under their parent",
    url_name="article_comments",
)
def list_comments(request: HttpRequest, article_id: int = ArticleId):
    """Names and texts only: e-mail and IP addresses never leave the back office."""
    article = visible_article(article_id)
    page_cache.add_keys(request, page_cache.comments_key(article.pk))
    thread = services.published_thread(article)
    default_name = SiteSettings.load().comment_default_name

    def shown(comment) -> dict:
        return {
            "id": comment.pk,
            "name": comment.name or default_name,
            "text": comment.text,
            "created_at": local(comment.created_at),
        }

    return {
        "results": [
            shown(c) | {"replies": [shown(r) for r in c.shown_replies]} for c in thread.comments
        ],
        "count": thread.count,
        "open": services.comments_are_open(article),
    }


def _form_error(form) -> Status:
    """422 with the form's own Arabic message first, field by field after it."""
    errors = form.errors.get_json_data()
    detail = [
        {"loc": ["body", field], "msg": error["message"], "type": error["code"] or "invalid"}
        for field, field_errors in errors.items()
        for error in field_errors
    ]
    return Status(422, {"message": detail[0]["msg"], "detail": detail})


@router.post(
    "/{article_id}/comments",
    response={201: CommentAccepted, frozenset({400, 403, 404, 409, 422, 429}): Error},
    summary="Post a comment (anonymous; the web form's rules and rate limits)",
    url_name="post_comment",
)
def post_comment(request: HttpRequest, payload: CommentIn, article_id: int = ArticleId):
    """201 published or waiting for a moderator; 4xx with the reason in `message`."""
    article = visible_article(article_id)
    form = ApiCommentForm(
        {
            "text": payload.text,
            "name": payload.name,
            "email": payload.email,
            "parent": payload.parent if payload.parent is not None else "",
        }
    )
    if not form.is_valid():
        return _form_error(form)
    if over_limit(request, form.cleaned_data["email"]):
        return Status(429, {"message": RATE_LIMITED})
    submission = form.submission(
        ip_address=client_ip(request), user_agent=request.headers.get("User-Agent", "")
    )
    try:
        comment = services.submit_comment(article, submission)
    except services.CommentRejected as rejected:
        return Status(STATUS_BY_CODE.get(rejected.code, 400), {"message": rejected.message})
    message = PUBLISHED if comment.is_published else PENDING
    return Status(201, {"id": comment.pk, "status": comment.status, "message": message})
