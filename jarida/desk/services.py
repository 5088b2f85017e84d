"""The translation desk: taking a wire item turns it into a draft for its translator."""

from django.db import transaction
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles import services as articles
from jarida.articles.models import Article, Byline, Section
from jarida.desk.models import WireItem


class AlreadyTaken(Exception):
    """Another translator took the item first."""


def contributor_for(user) -> Contributor:
    """The user's byline identity, created from their name the first time they need one."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        contributor = articles.contributor_named(user.get_full_name() or user.get_username())
        if contributor.user_id is None:
            contributor.user = user
            contributor.save(update_fields=["user"])
    return contributor


@transaction.atomic
def start_translation(item: WireItem, user, section: Section | None = None) -> Article:
    """Take the item: a draft with the agency, the original link and the translator byline."""
    item = WireItem.objects.select_for_update().select_related("feed__agency").get(pk=item.pk)
    if item.taken_by_id and item.taken_by_id != user.pk:
        raise AlreadyTaken(f"أخذ {item.taken_by} هذا الخبر قبلك.")
    if item.article_id:
        return item.article
    draft = Article(
        # A working title the translator replaces; the original stays beside the editor.
        title=item.title,
        section=section or Section.objects.order_by("position", "pk").first(),
        source_agency=item.feed.agency,
        source_url=item.url,
        status=Article.Status.DRAFT,
    )
    articles.save_article(
        draft,
        bylines=[articles.BylineSpec(contributor_for(user), Byline.Role.TRANSLATOR)],
        actor=user,
    )
    item.taken_by, item.taken_at, item.article = user, timezone.now(), draft
    item.save(update_fields=["taken_by", "taken_at", "article"])
    return draft
