"""Writes with rules: saving and publishing articles, finding people and agencies by name.

The back office, `load_demo`, the importers and the tests all go through these.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles.models import Agency, Article, ArticleEvent, Byline, Tag
from jarida.core.text import arabic_slug, clean_text


@dataclass(frozen=True)
class BylineSpec:
    """A credit to put on an article: who, and in which role."""

    contributor: Contributor
    role: str = Byline.Role.AUTHOR


class EditConflict(Exception):
    """Someone saved the article after this edit began; the edit was not saved."""

    def __init__(self, current: Article):
        self.current = current
        super().__init__(
            f"حُفظ هذا المقال بعد أن بدأتَ تعديله (النسخة {current.version}). "
            "لم تُحفظ تعديلاتك: انسخها، ثم افتح المقال من جديد وأضفها إلى النسخة الحالية."
        )


@transaction.atomic
def save_article(
    article: Article,
    *,
    bylines: Sequence[BylineSpec] | None = None,
    tags: Iterable[Tag] | None = None,
    actor=None,
    expected_version: int | None = None,
) -> Article:
    """Validate and save an article; replace its bylines and tags when given.

    With `expected_version` (the version the editor's form was opened on), the save is
    refused with EditConflict when the stored article has moved on since. Raises
    `django.core.exceptions.ValidationError` with the fields at fault.
    """
    if not article.slug or _slug_was_automatic(article):
        # An automatic slug follows the title (old URLs answer 301); a chosen one stays.
        article.slug = arabic_slug(article.title)
    article.full_clean()
    created = article.pk is None
    if created:
        article.created_by = article.created_by or actor
    else:
        # Claim the next version atomically: of two concurrent saves only one matches.
        expected = article.version if expected_version is None else expected_version
        claimed = Article.objects.filter(pk=article.pk, version=expected).update(
            version=F("version") + 1
        )
        if not claimed:
            raise EditConflict(Article.objects.get(pk=article.pk))
        article.version = expected + 1
    article.save()
    if created:
        ArticleEvent.log(article, ArticleEvent.Action.CREATED, actor)
    if bylines is not None:
        article.bylines.all().delete()
        Byline.objects.bulk_create(
            Byline(article=article, contributor=spec.contributor, role=spec.role, position=i)
            for i, spec in enumerate(bylines)
        )
    if tags is not None:
        article.tags.set(tags)
    return article


def _slug_was_automatic(article: Article) -> bool:
    if article.pk is None:
        return False
    stored = Article.objects.filter(pk=article.pk).values("title", "slug").first()
    return (
        bool(stored)
        and article.slug == stored["slug"]  # not changed in this edit
        and stored["slug"] == arabic_slug(stored["title"])  # and generated, not chosen
    )


def publication_time(article: Article, at=None):
    """When an article being published goes live: `at`, else the time already set, else now."""
    return at or article.published_at or timezone.now()


def publish_article(article: Article, *, at=None) -> Article:
    """Publish now, or at `at` (a future time schedules it: readers see it when due)."""
    article.status = Article.Status.PUBLISHED
    article.published_at = publication_time(article, at)
    return save_article(article)


def contributor_named(name: str) -> Contributor:
    """The contributor with this name, created (with a slug) when new."""
    name = clean_text(name)
    contributor = Contributor.objects.filter(name=name).first()
    if contributor is None:
        contributor = Contributor.objects.create(name=name, slug=_unique_slug(name))
    return contributor


def _unique_slug(name: str) -> str:
    base = arabic_slug(name, max_length=140) or "contributor"
    slug, n = base, 2
    while Contributor.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Tags with these names, created when new."""
    return [Tag.objects.get_or_create(name=clean_text(name))[0] for name in names if name.strip()]


def agency_named(name: str) -> Agency | None:
    """The agency known by this name or another of its spellings, if any."""
    return Agency.objects.matching(name)


#: What restoring a revision brings back: the text and its furniture, not the workflow.
RESTORED_FIELDS = (
    "title", "slug", "kicker", "summary", "body", "section_id", "dateline",
    "source_agency_id", "source_url", "featured_image_id",
)  # fmt: skip


@transaction.atomic
def restore_revision(article: Article, version, actor) -> Article:
    """Bring back a revision's text and bylines as a new save; status and schedule stay."""
    old = version._object_version.object
    for attname in RESTORED_FIELDS:
        setattr(article, attname, getattr(old, attname))
    byline_type = ContentType.objects.get_for_model(Byline)
    bylines = sorted(
        (v._object_version.object for v in version.revision.version_set.all()
         if v.content_type_id == byline_type.pk),
        key=lambda byline: byline.position,
    )  # fmt: skip
    save_article(
        article,
        bylines=[BylineSpec(b.contributor, b.role) for b in bylines],
        actor=actor,
    )
    ArticleEvent.log(article, ArticleEvent.Action.RESTORED, actor)
    return article
