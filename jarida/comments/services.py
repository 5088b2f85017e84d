"""Comment rules: who may comment where, what waits for a moderator, and moderation itself.

The reader's form, the back office's queue and the tests all go through these functions.
Rate limits (which need the request) live in `limits.py`; the form's own checks
(length, honeypot, fill time) in `forms.py`.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jarida.articles.models import Article
from jarida.comments.models import Comment
from jarida.comments.signals import comment_visibility_changed
from jarida.comments.text import clean_comment_text, count_links
from jarida.core.arabic import normalize, tokenize
from jarida.core.models import SiteSettings
from jarida.core.text import clean_text

# Letters Arabic writes joined to the front of a word: و، ف، ب، ك، ل، ال and their
# combinations (وال، بال، فبال…); لل is ل + ال with the alef dropped.
PROCLITICS = (
    "و",
    "ف",
    "ب",
    "ك",
    "ل",
    "ال",
    "لل",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "وب",
    "فب",
)
# A banned word this short is only matched exactly, so that "رز" never matches "برز".
MIN_STEM_FOR_PROCLITICS = 3


class CommentRejected(Exception):
    """A submission that cannot be accepted; `message` tells the reader what to do."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Submission:
    """What a reader sent, already cleaned by the form."""

    text: str
    name: str = ""
    email: str = ""
    parent_id: int | None = None
    ip_address: str | None = None
    user_agent: str = ""


@dataclass
class Thread:
    """The published comments of an article, oldest first, replies under their parent."""

    comments: list[Comment] = field(default_factory=list)
    count: int = 0


# Messages the reader sees (Arabic, saying what to do next).
CLOSED = "التعليقات مغلقة على هذا المقال، فلم نستطع نشر تعليقك. نصّك محفوظ أدناه إن أردت نسخه."
DUPLICATE = "وصلنا هذا التعليق منك من قبل على هذا المقال، فلا حاجة إلى إرساله مرة أخرى."
PARENT_GONE = "التعليق الذي ترد عليه لم يعد منشورًا. يمكنك إرسال ردك تعليقًا مستقلًا."
BANNED = "في تعليقك كلمة لا ننشرها: «{word}». عدّل النص ثم أرسله من جديد."


def closes_at(article: Article, site: SiteSettings | None = None) -> datetime | None:
    """When comments on `article` close by age (the site setting), or None."""
    site = site or SiteSettings.load()
    if not site.comment_close_after_days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=site.comment_close_after_days)


def comments_are_open(article: Article, site: SiteSettings | None = None, now=None) -> bool:
    """Open on this article, and not yet closed by its age."""
    if not article.comments_open:
        return False
    deadline = closes_at(article, site)
    return deadline is None or (now or timezone.now()) < deadline


def _entry_tokens(banned_words: str) -> list[tuple[str, list[str]]]:
    lines = (line.strip() for line in banned_words.splitlines())
    return [(line, tokens) for line in lines if line and (tokens := tokenize(line))]


def _token_matches(token: str, word: str) -> bool:
    if token == word:
        return True
    if len(word) < MIN_STEM_FOR_PROCLITICS:
        return False
    return any(token == prefix + word for prefix in PROCLITICS) or (
        word.startswith("ال") and any(token == p + word[2:] for p in ("لل", "ولل", "فلل"))
    )


def banned_words_in(text: str, banned_words: str) -> list[str]:
    """The banned entries (as the editors wrote them) that `text` contains.

    Both sides go through `jarida.core.arabic.normalize`, so tashkeel, tatweel, hamza
    forms, ى/ي and ة/ه do not hide a word; matching is on whole words (a phrase is a
    run of words), allowing the letters Arabic joins to the front of a word.
    """
    tokens = tokenize(text)
    found = []
    for entry, words in _entry_tokens(banned_words):
        width = len(words)
        for start in range(len(tokens) - width + 1):
            window = tokens[start : start + width]
            # Proclitics attach to the first word of a phrase only.
            if _token_matches(window[0], words[0]) and window[1:] == words[1:]:
                found.append(entry)
                break
    return found


def text_key(text: str) -> str:
    """The duplicate-detection key: the normalised text, hashed."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode()).hexdigest()


def is_duplicate(article: Article, submission: Submission, now=None) -> bool:
    """Did the same person (IP or e-mail) send the same text here within the window?"""
    since = (now or timezone.now()) - timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
    same_text = Comment.objects.filter(
        article=article, text_key=text_key(submission.text), created_at__gte=since
    )
    senders = [value for value in (submission.ip_address, submission.email) if value]
    if not senders:
        return same_text.exists()
    match = same_text.none()
    if submission.ip_address:
        match |= same_text.filter(ip_address=submission.ip_address)
    if submission.email:
        match |= same_text.filter(email__iexact=submission.email)
    return match.exists()


def is_trusted(submission: Submission, site: SiteSettings) -> bool:
    """Has this name and e-mail had enough comments approved to skip the queue?"""
    if not site.comment_trusted_after or not submission.email:
        return False
    approved = Comment.objects.published().filter(
        email__iexact=submission.email, name=submission.name
    )
    return approved.count() >= site.comment_trusted_after


def _hold_reason(submission: Submission, site: SiteSettings) -> str:
    """Why the comment waits for a moderator, or "" when it can go straight up."""
    if count_links(submission.text) > site.comment_max_links:
        return "روابط كثيرة"
    if site.comment_moderation == SiteSettings.MODERATION_POST:
        return ""
    if is_trusted(submission, site):
        return ""
    return "مراجعة قبل النشر"


def _resolve_parent(article: Article, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.published().on(article).filter(pk=parent_id).first()
    if parent is None:
        raise CommentRejected(PARENT_GONE, "parent")
    # One level of replies: a reply to a reply joins the top-level conversation.
    if parent.parent_id is not None:
        parent = Comment.objects.get(pk=parent.parent_id)
    return parent


@transaction.atomic
def submit_comment(article: Article, submission: Submission, now=None) -> Comment:
    """Check a reader's comment against the rules and store it, published or held.

    Raises `CommentRejected` when comments are closed, the parent is gone, the text
    holds a banned word, or the same text came from the same sender before.
    """
    site = SiteSettings.load()
    now = now or timezone.now()
    if not comments_are_open(article, site, now):
        raise CommentRejected(CLOSED, "closed")
    parent = _resolve_parent(article, submission.parent_id)
    if banned := banned_words_in(submission.text, site.comment_banned_words):
        raise CommentRejected(BANNED.format(word=banned[0]), "banned")
    if is_duplicate(article, submission, now):
        raise CommentRejected(DUPLICATE, "duplicate")
    held_reason = _hold_reason(submission, site)
    comment = new_comment(
        article,
        submission,
        status=Comment.Status.PENDING if held_reason else Comment.Status.PUBLISHED,
        held_reason=held_reason,
        parent=parent,
    )
    comment.save()
    if comment.is_published:
        _announce([comment])
    return comment


NAME_LENGTH = Comment._meta.get_field("name").max_length
USER_AGENT_LENGTH = 300


def new_comment(
    article: Article,
    submission: Submission,
    *,
    status: str,
    held_reason: str = "",
    parent: Comment | None = None,
) -> Comment:
    """A comment as every way in stores it (not saved yet): the text cleaned as the form
    cleans it (`clean_comment_text`; cleaning twice changes nothing), the name as a
    one-line field, the e-mail in lower case, the duplicate-detection key.

    The reader's form (`submit_comment`) and imports (`save_comments_in_bulk`) both make
    their comments here; each decides the moderation state by its own rules.
    """
    text = clean_comment_text(submission.text)
    return Comment(
        article=article,
        parent=parent,
        text=text,
        name=clean_text(submission.name)[:NAME_LENGTH],
        email=submission.email.strip().lower(),
        status=status,
        held_reason=held_reason,
        text_key=text_key(text),
        ip_address=submission.ip_address or None,
        user_agent=submission.user_agent[:USER_AGENT_LENGTH],
    )


@transaction.atomic
def save_comments_in_bulk(comments: list[Comment]) -> list[Comment]:
    """Store comments made by `new_comment` in a few queries (an import's): top-level ones
    first, then replies (whose `parent` is among them or already stored). A comment with a
    `written_at` attribute keeps that date; the pages showing published ones change."""
    top = [c for c in comments if c.parent is None]
    replies = [c for c in comments if c.parent is not None]
    Comment.objects.bulk_create(top)
    for reply in replies:
        reply.parent = reply.parent  # the parent now has its id
    Comment.objects.bulk_create(replies)
    dated = [c for c in comments if getattr(c, "written_at", None)]
    for comment in dated:
        # auto_now_add stamped "now" on insert: put back when the comment was written.
        comment.created_at = comment.written_at
    Comment.objects.bulk_update(dated, ["created_at"])
    _announce(c for c in comments if c.is_published)
    return comments


def _announce(comments: Iterable[Comment]) -> None:
    """Tell listeners (page caches) after the commit that these comments' pages changed."""
    for comment in comments:
        transaction.on_commit(
            lambda comment=comment: comment_visibility_changed.send(
                sender=Comment, comment=comment, article=comment.article
            )
        )


@transaction.atomic
def moderate(comments: Iterable[Comment], status: str, *, by=None) -> int:
    """Set the moderation state of `comments`; returns how many changed."""
    changed, shown_or_hidden = 0, []
    now = timezone.now()
    for comment in comments:
        if comment.status == status:
            continue
        was_published = comment.is_published
        comment.status = status
        comment.moderated_at = now
        comment.moderated_by = by
        comment.save(update_fields=["status", "moderated_at", "moderated_by"])
        changed += 1
        if was_published != comment.is_published:
            shown_or_hidden.append(comment)
    _announce(shown_or_hidden)
    return changed


def approve_comments(comments: Iterable[Comment], *, by=None) -> int:
    """Publish: the comment appears on its article and in its count."""
    return moderate(comments, Comment.Status.PUBLISHED, by=by)


def reject_comments(comments: Iterable[Comment], *, by=None) -> int:
    return moderate(comments, Comment.Status.REJECTED, by=by)


def mark_spam(comments: Iterable[Comment], *, by=None) -> int:
    return moderate(comments, Comment.Status.SPAM, by=by)


@transaction.atomic
def delete_comments(comments: Iterable[Comment]) -> int:
    """Delete for good (replies go with their parent); pages that showed them change."""
    comments = list(comments)
    shown = [c for c in comments if c.is_published]
    for comment in comments:
        comment.delete()
    _announce(shown)
    return len(comments)


def published_thread(article: Article) -> Thread:
    """What the article page shows, in one query: published comments and their replies.

    A reply whose parent is not (or no longer) published is not shown, nor counted.
    The e-mail, IP and browser columns are not even read.
    """
    rows = list(
        Comment.objects.published()
        .on(article)
        .oldest_first()
        .only("pk", "article_id", "parent_id", "text", "name", "created_at")
    )
    top = {c.pk: c for c in rows if c.parent_id is None}
    for comment in top.values():
        comment.shown_replies = []
    for comment in rows:
        if comment.parent_id in top:
            top[comment.parent_id].shown_replies.append(comment)
    count = len(top) + sum(len(c.shown_replies) for c in top.values())
    return Thread(comments=list(top.values()), count=count)
