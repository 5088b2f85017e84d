"""Writes with rules: saving and publishing articles; sections, tags and agencies by name.

The back office, the translation desk, `load_demo`, the importers and the tests all go
through these (people: `jarida.accounts.services`), so cleaning, slugs, search indexing
and cache invalidation are the same whichever way an article comes in.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from jarida.accounts.models import Contributor
from jarida.accounts.services import contributor_named, contributors_named
from jarida.articles import listings
from jarida.articles.models import (
    RESERVED_SLUGS,
    Agency,
    Article,
    ArticleEvent,
    Byline,
    Section,
    Tag,
)
from jarida.core.signals import articles_saved_in_bulk, bylines_replaced
from jarida.core.slugs import free_slugs
from jarida.core.text import arabic_slug, clean_text

__all__ = ["contributor_named", "contributors_named"]  # people live in accounts.services


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
        bylines_replaced.send(sender=Article, article=article)
    if tags is not None:
        article.tags.set(tags)
    if created or bylines is not None:
        # bulk_create sends no signal; an edit's save() has already synced the rest.
        listings.sync([article.pk])
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


@dataclass
class BulkArticle:
    """One article of a bulk save: the article (new, or with the pk it is rewritten at), its
    credits, and its search entry when it was made ahead (in a worker process)."""

    article: Article
    bylines: Sequence[BylineSpec] = ()
    index_entry: object = None


#: What a bulk rewrite replaces (what imports carry); the rest of the row stays.
BULK_UPDATE_FIELDS = (
    "title", "slug", "body", "section", "source_agency", "source_url", "status", "published_at",
    "excerpt_text",
)  # fmt: skip


@transaction.atomic
def save_articles_in_bulk(
    new: Sequence[BulkArticle], rewritten: Sequence[BulkArticle] = (), new_vocabulary=None
):
    """`save_article` for thousands at once: a few queries, the same cleaning and slugs.

    New articles are inserted, rewritten ones updated in place (their bylines replaced);
    `articles_saved_in_bulk` then lets the search index and the page cache follow, with
    the entries made ahead when every article has one (and `new_vocabulary`, the
    search vocabulary rows of the new ones' entries, made ahead too, used when nothing
    is rewritten). No revision or audit entry: bulk saves are imports, recorded by their
    own run.
    """
    now = timezone.now()
    for item in rewritten:
        # bulk_update skips the fields' own cleaning (bulk_create runs it): do it here.
        for name in ("title", "body", "summary", "excerpt_text"):
            setattr(item.article, name, Article._meta.get_field(name).pre_save(item.article, False))
        item.article.updated_at = now
    for item in [*new, *rewritten]:
        item.article.slug = item.article.slug or arabic_slug(clean_text(item.article.title))
    Article.objects.bulk_create([item.article for item in new])
    if rewritten:
        articles = [item.article for item in rewritten]
        Article.objects.bulk_update(articles, [*BULK_UPDATE_FIELDS, "updated_at"])
        Byline.objects.filter(article__in=articles).delete()
    done = [*new, *rewritten]
    Byline.objects.bulk_create(
        Byline(article=item.article, contributor=spec.contributor, role=spec.role, position=i)
        for item in done
        for i, spec in enumerate(item.bylines)
    )
    listings.sync(item.article.pk for item in done)
    entries = [item.index_entry for item in done]
    articles_saved_in_bulk.send(
        sender=Article,
        articles=[item.article for item in done],
        index_entries=entries if all(entries) else None,
        new_vocabulary=new_vocabulary if all(entries) and not rewritten else None,
    )


def set_featured_image(article: Article, image) -> Article:
    """Give a saved article its picture (a save: the page cache and the index follow)."""
    article.featured_image = image
    article.save(update_fields=["featured_image", "updated_at"])
    return article


TAG_NAME_LENGTH = Tag._meta.get_field("name").max_length


@dataclass(frozen=True)
class TagSpec:
    """A tag wanted by name, with the slug its old site gave it if any (percent-encoded ok)."""

    name: str
    slug: str = ""


def _tag_key(spec: TagSpec | str) -> tuple[str, str]:
    spec = spec if isinstance(spec, TagSpec) else TagSpec(spec)
    name = clean_text(clean_text(spec.name)[:TAG_NAME_LENGTH])
    slug = arabic_slug(unquote(spec.slug) or name, 90)
    return name, slug or f"tag-{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def tags_for(specs: Iterable[TagSpec | str]) -> list[Tag]:
    """The tags for these names (in order, once each), the missing ones created.

    One tag per URL: the tag with the slug is the tag, else the one with the name
    ("Markup" and "markup" are one tag), else a new one. A few queries for any number.
    """
    keys = list(dict.fromkeys(key for key in map(_tag_key, specs) if key[0]))
    if not keys:
        return []
    names, slugs = {n for n, _ in keys}, {s for _, s in keys}
    existing = list(Tag.objects.filter(Q(slug__in=slugs) | Q(name__in=names)))
    by_slug, by_name = {t.slug: t for t in existing}, {t.name: t for t in existing}
    missing: dict[tuple[str, str], Tag] = {}
    for name, slug in keys:
        if slug not in by_slug and name not in by_name and (name, slug) not in missing:
            tag = Tag(name=name, slug=slug)
            missing[(name, slug)] = by_slug[slug] = by_name[name] = tag
    new = list(missing.values())
    for tag, slug in zip(new, free_slugs(Tag, [t.slug for t in new]), strict=True):
        tag.slug = slug
    Tag.objects.bulk_create(new)
    return list(dict.fromkeys(by_slug.get(slug) or by_name[name] for name, slug in keys))


def tags_named(names: Iterable[str]) -> list[Tag]:
    """Tags with these names, created when new."""
    return tags_for(name for name in names if name.strip())


def find_or_create_section(slug: str, name: str, description: str = "") -> tuple[Section, bool]:
    """The section with this slug (percent-encoded Arabic is decoded), created when new;
    and whether it was created.

    A new section whose name another section has is named `name (slug)`: names are unique.
    """
    slug = arabic_slug(unquote(slug), 90) or arabic_slug(name, 90) or "section"
    if slug in RESERVED_SLUGS:
        slug = f"wp-{slug}"
    section = Section.objects.filter(slug=slug).first()
    if section is None:
        name = clean_text(name)[:100] or slug
        if Section.objects.filter(name=name).exists():
            name = f"{name[: 97 - len(slug)]} ({slug})"
        return Section.objects.create(name=name, slug=slug, description=description), True
    return section, False


def put_section(slug: str, name: str, **fields) -> tuple[Section, bool]:
    """The section at this slug brought to `name` and `fields` (a managed list: the demo's
    sections), created when new; validated and cleaned as the back office saves it."""
    section, created = find_or_create_section(slug, name, fields.pop("description", ""))
    wanted = {"name": clean_text(name)[:100], **fields}
    if created and all(getattr(section, f) == v for f, v in wanted.items()):
        return section, True
    for field, value in wanted.items():
        setattr(section, field, value)
    section.full_clean()
    section.save()
    return section, created


def put_agency(slug: str, name: str, **fields) -> tuple[Agency, bool]:
    """The agency at this slug brought to `name` and `fields` (the demo's agencies), created
    when new; validated and cleaned as the back office saves it."""
    agency = Agency.objects.filter(slug=slug).first()
    created = agency is None
    agency = agency or Agency(slug=slug)
    agency.name = name
    for field, value in fields.items():
        setattr(agency, field, value)
    agency.full_clean()
    agency.save()
    return agency, created


def agency_named(name: str, *, create: bool = False) -> Agency | None:
    """The agency known by this name (its slug or any of its spellings); created if asked."""
    slug = slugify(name) or f"agency-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
    agency = Agency.objects.filter(slug=slug).first() or Agency.objects.matching(name)
    if agency is None and create:
        agency = Agency.objects.create(name=clean_text(name)[:100], slug=slug)
    return agency


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
