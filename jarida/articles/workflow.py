"""The newsroom workflow: who may move an article from which state to which.

    draft ──submit──▶ review ──publish──▶ published (now, or scheduled for later)
      ▲                 │                    │
      └────return───────┘                    └──unpublish──▶ unpublished ──publish──▶ …

"Scheduled" is PUBLISHED with a future `published_at`: readers see the article when the
clock reaches it, with no job flipping a flag. Every move is recorded in ArticleEvent.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jarida.articles.models import Article, ArticleEvent, sees_every_article
from jarida.articles.services import publication_time

Status = Article.Status
Action = ArticleEvent.Action


class TransitionRefused(Exception):
    """The move is not allowed from this state or to this user; the message is Arabic."""


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str
    needs_publish_right: bool


TRANSITIONS = {
    "submit": Transition("أرسل للمراجعة", frozenset({Status.DRAFT}), Status.REVIEW, False),
    "return": Transition("أعد إلى المسودة", frozenset({Status.REVIEW}), Status.DRAFT, True),
    "publish": Transition(
        "انشر أو جدول",
        frozenset({Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED}),
        Status.PUBLISHED,
        True,
    ),
    "unpublish": Transition("ألغِ النشر", frozenset({Status.PUBLISHED}), Status.UNPUBLISHED, True),
}


def can_publish(user) -> bool:
    return user.has_perm("articles.publish_article")


def can_view(user, article: Article) -> bool:
    """May open this article in the back office (Article.objects.viewable_by decides)."""
    if article.pk is None:
        return user.has_perm("articles.add_article")
    if sees_every_article(user):
        return True  # no query: the rule lets them see every row
    return Article.objects.viewable_by(user).filter(pk=article.pk).exists()


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; reporters and translators edit their own drafts only."""
    if not user.has_perm("articles.change_article"):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return article.status == Status.DRAFT and can_view(user, article)


def allowed_actions(user, article: Article) -> list[str]:
    """The workflow buttons this user may press on this article now."""
    # Each right is worked out once (can_edit may ask the database who wrote the article).
    rights = {True: can_publish(user), False: None}
    actions = []
    for name, move in TRANSITIONS.items():
        if article.status not in move.sources:
            continue
        if rights[move.needs_publish_right] is None:
            rights[False] = can_edit(user, article)
        if rights[move.needs_publish_right]:
            actions.append(name)
    return actions


@transaction.atomic
def transition(article: Article, name: str, actor, at=None) -> Article:
    """Move the article; raise TransitionRefused with the reason when it may not move."""
    move = TRANSITIONS.get(name)
    if move is None:
        raise TransitionRefused("إجراء غير معروف.")
    if article.status not in move.sources:
        raise TransitionRefused(
            f"لا يمكن «{move.label}» لمقال حالته «{article.get_status_display()}»."
        )
    if name not in allowed_actions(actor, article):
        raise TransitionRefused(f"ليست لديك صلاحية «{move.label}» لهذا المقال.")
    article.status = move.target
    event = {
        "submit": Action.SUBMITTED,
        "return": Action.RETURNED,
        "unpublish": Action.UNPUBLISHED,
    }.get(name, Action.PUBLISHED)
    if name == "publish":
        article.published_at = publication_time(article, at)
        if article.published_at > timezone.now():
            event = Action.SCHEDULED
    article.full_clean()
    # A state change makes forms opened before it stale, like any other save.
    article.version += 1
    article.save(update_fields=["status", "published_at", "updated_at", "version"])
    ArticleEvent.log(article, event, actor, article.published_at if name == "publish" else None)
    return article
