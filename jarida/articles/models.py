"""The newsroom's content: sections, agencies, tags, articles and their bylines."""

from datetime import date, datetime, time, timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils import timezone

from jarida.core.fields import CLEANED, CleanCharField, CleanTextField, RichTextField
from jarida.core.text import arabic_slug, clean_text, excerpt, html_excerpt
from jarida.core.urls import cached_reverse

#: First path segments the reader site uses for itself; no section may take them.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "comments",
        "static",
        "media",
        "feed",
        "search",
        "readership",
        "sponsored",
        "supplements",
        "pages",
        "writers",
        "tags",
        "sitemap.xml",
        "sitemap-news.xml",
        "sitemaps",
        "robots.txt",
    }
)


class Section(models.Model):
    """A desk of the paper (سياسية، اقتصاد…), shown in the menu in `position` order."""

    name = CleanCharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)
    description = CleanTextField("الوصف", blank=True)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "قسم"
        verbose_name_plural = "الأقسام"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("reader:section", self.slug)

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "هذا المعرّف محجوز لصفحات الموقع."})


class AgencyQuerySet(models.QuerySet):
    def matching(self, name: str) -> "Agency | None":
        """The agency known by `name` or one of its other spellings."""
        wanted = clean_text(name)
        for agency in self.all():
            if wanted in agency.all_names():
                return agency
        return None


class Agency(models.Model):
    """A news agency an article was translated or taken from (اسوشيتدبرس)."""

    name = CleanCharField("الاسم", max_length=100, unique=True)
    name_en = CleanCharField("الاسم بالإنجليزية", max_length=100, blank=True)
    slug = models.SlugField("المعرّف", max_length=100, unique=True)
    # One spelling per line, each cleaned in save() (a CleanTextField would fold the lines).
    other_spellings = models.TextField(
        "كتابات أخرى للاسم", blank=True, help_text="كتابة في كل سطر، مثل: اسوشييتدبرس"
    )
    website = models.URLField("الموقع", blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "وكالة أنباء"
        verbose_name_plural = "وكالات الأنباء"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.other_spellings = "\n".join(
            clean_text(line) for line in self.other_spellings.splitlines() if line.strip()
        )
        super().save(*args, **kwargs)

    def all_names(self) -> set[str]:
        spellings = (clean_text(line) for line in self.other_spellings.splitlines())
        return {self.name, self.name_en, *spellings} - {""}


class Tag(models.Model):
    name = CleanCharField("الاسم", max_length=100, unique=True)
    slug = models.SlugField("المعرّف في الرابط", max_length=100, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = "وسم"
        verbose_name_plural = "الوسوم"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = arabic_slug(self.name, max_length=100)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("reader:tag", self.slug)


def sees_every_article(user) -> bool:
    """Editors and site managers open every article in the back office, in any state."""
    return user.is_active and user.is_staff and user.has_perm("articles.edit_any_article")


def is_public(prefix: str = "", at=None) -> models.Q:
    """The one rule for what readers may see: published, and due by the clock (no job flips
    a flag). `prefix` reaches articles through a relation (`bylines__article__`)."""
    return models.Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": at or timezone.now(),
        }
    )


def is_scheduled(prefix: str = "", at=None) -> models.Q:
    """Published for a time still to come: readers see it when the clock gets there."""
    return models.Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__gt": at or timezone.now(),
        }
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """Visible to readers: published, and due by the clock (no job flips a flag)."""
        return self.filter(is_public(at=at))

    def scheduled(self, at=None):
        """Published for a later time, not yet visible."""
        return self.filter(is_scheduled(at=at))

    def in_section(self, section):
        return self.filter(section=section)

    def by_contributor(self, contributor, at=None):
        """Public stories crediting `contributor` in any role, read newest first off the
        writers' archive index (`WriterEntry`): a writer with one story in 1,000 costs what
        a busy one does, where walking the whole archive's index for their stories did not."""
        return self._listed("writer_entries", at, contributor=contributor)

    def tagged(self, tag, at=None):
        """Public stories with this tag, newest first off the tag's own index (`TagEntry`)."""
        return self._listed("tag_entries", at, tag=tag)

    def _listed(self, relation: str, at, **key):
        """Public by the copies on `relation`'s rows (one filter() call, so one join), with
        their date and article id as the archive's keys (`archive_keys`)."""
        conditions = {f"{relation}__{name}": value for name, value in key.items()}
        return self.filter(is_public(f"{relation}__", at), **conditions).annotate(
            listed_at=models.F(f"{relation}__published_at"),
            listed_id=models.F(f"{relation}__article_id"),
        )

    def archive_keys(self) -> tuple[str, str]:
        """The archive's order, newest first with the id breaking ties: the article's own
        columns, or a writer's or tag's copies of them (their index is in that order)."""
        if "listed_at" in self.query.annotations:
            return "listed_at", "listed_id"
        return "published_at", "pk"

    def credited_to(self, contributor_slug: str):
        """Credited in any role to the contributor with this slug (no DISTINCT needed)."""
        credited = Byline.objects.filter(contributor__slug=contributor_slug)
        return self.filter(pk__in=credited.values("article_id"))

    def published_between(self, date_from: date | None = None, date_to: date | None = None):
        """Published on these calendar days, both included, in the site's time zone.

        Ranges on `published_at` (its index serves them); the calendar's first and last
        days bound nothing, and converting their midnights to UTC could overflow.
        """
        tz = timezone.get_current_timezone()
        if date_from and date_from > date.min:
            self = self.filter(published_at__gte=datetime.combine(date_from, time.min, tz))
        if date_to and date_to < date.max:
            next_day = datetime.combine(date_to + timedelta(days=1), time.min, tz)
            self = self.filter(published_at__lt=next_day)
        return self

    def newest_first(self):
        at, pk = self.archive_keys()
        return self.order_by(f"-{at}", f"-{pk}")

    def newest_per_section(self, sections, per_section: int):
        """The newest `per_section` stories of each section, in one query: one indexed
        `LIMIT` per section, put together with UNION ALL. (A window function ranking every
        story by section reads the whole archive: 4.4 s at 300,000 stories on PostgreSQL,
        benchmarks/listing_plans.py.) Each part is wrapped in a derived table, the one form
        of a LIMIT inside UNION that SQLite and PostgreSQL both take."""
        keys = self.prefetch_related(None).newest_first().values("pk")
        parts, params = [], []
        for section in sections:
            sql, part_params = keys.in_section(section)[:per_section].query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS newest_{len(parts)}")
            params.extend(part_params)
        if not parts:
            return self.none()
        return self.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params)).newest_first()

    def for_listing(self):
        """What article cards print: section, image and bylines, without a query per row."""
        return self.select_related("section", "featured_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
        )

    def for_cards(self):
        """`for_listing` without the body: lists print the stored excerpt, and twenty bodies
        are most of what a listing would read, copy and keep in memory."""
        return self.for_listing().defer("body")

    def for_page(self):
        """Everything the article page prints, in a fixed number of queries."""
        return self.for_listing().select_related("source_agency").prefetch_related("tags")

    def viewable_by(self, user):
        """What this member of staff may open in the back office, in any state.

        The one rule behind the article form, preview, revision diffs and restores, history,
        the audit log and the scheduled list: editors and site managers see every article;
        reporters and translators only those they created or are credited on; anyone else
        none (readers see public stories on the site, never here).
        """
        if sees_every_article(user):
            return self
        if not (user.is_active and user.is_staff) or not (
            user.has_perm("articles.view_article") or user.has_perm("articles.change_article")
        ):
            return self.none()
        credited = Byline.objects.filter(article=models.OuterRef("pk"), contributor__user=user)
        return self.filter(models.Q(created_by=user) | models.Exists(credited))


#: What paid content says wherever it is shown (cards, its page, feeds): never optional.
SPONSORED_LABEL = "اعلان ممول"

#: When readers' copy of a story last changed (`Article.last_modified` in SQL): the newest
#: one is the sitemaps' lastmod, read off the top of `article_lastmod_idx`.
LAST_MODIFIED = Greatest("updated_at", "published_at")

#: The excerpt's length on cards, in feeds, the API and the page's description.
EXCERPT_CHARS = 220


class ExcerptField(models.TextField):
    """The excerpt, worked out from the summary and body whenever the row is written (save,
    bulk_create), so no page turns HTML into text per request. Declared after `body`: fields
    are prepared in order, so the body is already cleaned when this reads it.

    A bulk import works it out in its text workers: an excerpt marked in `CLEANED` with
    the very body object it was made from (and no summary) is kept as it is."""

    def pre_save(self, model_instance, add):
        compute = getattr(model_instance, "compute_excerpt", None)
        if compute is None:  # a migration's historical model has no methods
            return getattr(model_instance, self.attname)
        value = getattr(model_instance, self.attname)
        marks = getattr(model_instance, CLEANED, {})
        if (
            value is not None
            and marks.get(self.attname) is value
            and marks.get("body") is model_instance.body
            and not model_instance.summary
        ):
            return value
        value = compute()
        setattr(model_instance, self.attname, value)
        return value


class Article(models.Model):
    class Status(models.TextChoices):
        """Stored states. "Scheduled" is not one: it is PUBLISHED with a future time."""

        DRAFT = "draft", "مسودة"
        REVIEW = "review", "قيد المراجعة"
        PUBLISHED = "published", "منشور"
        UNPUBLISHED = "unpublished", "أُلغي نشره"

    title = CleanCharField("العنوان", max_length=300)
    slug = models.SlugField(
        "المعرّف في الرابط",
        max_length=200,
        allow_unicode=True,
        blank=True,
        help_text="يُولَّد من العنوان إن تُرك فارغًا. تغييره لا يكسر الروابط القديمة.",
    )
    kicker = CleanCharField("العنوان الفرعي العلوي", max_length=100, blank=True)
    summary = CleanTextField("الموجز", blank=True)
    body = RichTextField("النص", blank=True)
    section = models.ForeignKey(
        Section, verbose_name="القسم", on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name="الوسوم", blank=True, related_name="articles")
    dateline = CleanCharField("مكان الخبر", max_length=100, blank=True, help_text="مثل: بغداد")
    source_agency = models.ForeignKey(
        Agency,
        verbose_name="المصدر (عن)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    source_url = models.URLField("رابط الأصل", max_length=500, blank=True)
    featured_image = models.ForeignKey(
        "media.Image",
        verbose_name="الصورة الرئيسية",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    external_id = models.CharField(
        "المعرّف الخارجي",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="مفتاح المصدر الذي جاء منه المقال (استيراد، محتوى تجريبي) لمنع التكرار.",
    )
    status = models.CharField("الحالة", max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("تاريخ النشر", null=True, blank=True)
    comments_open = models.BooleanField(
        "التعليقات مفتوحة",
        default=True,
        help_text="تغلق أيضًا تلقائيًا بعد المدة المحددة في إعدادات الموقع.",
    )
    created_at = models.DateTimeField("أنشئ في", auto_now_add=True)
    updated_at = models.DateTimeField("عُدِّل في", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="أنشأه",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Optimistic concurrency: every save through services.save_article bumps it, and a
    # save that started from an older version is refused (see docs/newsroom.md).
    version = models.PositiveIntegerField("النسخة", default=1, editable=False)
    # Paid content (`اعلان ممول` on its cards and page): true while a sponsored campaign's
    # creative points at the story. Written only by jarida.sponsorship (sync_sponsored, a
    # queryset update): no form shows it and save() never writes it (see SAVED_WITHOUT).
    sponsored = models.BooleanField("مادة ممولة", default=False, editable=False)
    excerpt_text = ExcerptField("المقتطف", blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", "يستطيع نشر المقالات وجدولتها وإلغاء نشرها"),
            ("edit_any_article", "يستطيع تعديل مقالات الآخرين"),
        ]
        # Listings read these in their own order: newest first, the id breaking ties. With
        # the id in the index, PostgreSQL reads a page straight off it (no sort), counts
        # and seeks deep pages from the index alone (benchmarks/listing_plans.py).
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_newest_idx"),
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_newest_idx",
            ),
            models.Index(models.F("status"), LAST_MODIFIED.desc(), name="article_lastmod_idx"),
            # The few paid stories, for the sponsorship's sync (never a full scan).
            models.Index(
                fields=["id"], condition=models.Q(sponsored=True), name="article_sponsored_idx"
            ),
        ]

    def __str__(self):
        return self.title

    #: Fields an editor's save never writes: the sponsorship's own (an instance loaded
    #: before a campaign named the story must not clear its label when saved after).
    SAVED_WITHOUT = frozenset({"sponsored"})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = arabic_slug(self.title)
        fields = kwargs.get("update_fields")
        if fields is not None and {"body", "summary"} & set(fields):
            # The stored excerpt follows the text it is made from, whatever the caller listed.
            kwargs["update_fields"] = fields = {*fields, "excerpt_text"}
        if self._state.adding and self.pk is None:
            self.sponsored = False  # no creative can name a story not yet saved
        elif not kwargs.get("force_insert"):
            if fields is None:
                deferred = self.get_deferred_fields()
                fields = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and f.attname not in deferred
                }
            kwargs["update_fields"] = set(fields) - self.SAVED_WITHOUT
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return cached_reverse("reader:article", self.section.slug, self.pk, self.slug)

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError({"published_at": "حدّد تاريخ النشر للمقال المنشور."})

    @property
    def is_scheduled(self) -> bool:
        """Published for a future time: readers see it when the clock gets there."""
        published = self.status == self.Status.PUBLISHED and self.published_at is not None
        return published and self.published_at > timezone.now()

    @property
    def is_visible(self) -> bool:
        """The instance form of `is_public`: published and due."""
        published = self.status == self.Status.PUBLISHED and self.published_at is not None
        return published and self.published_at <= timezone.now()

    @property
    def last_modified(self):
        """When readers' copy last changed: the last save, or the publication if later (a
        story scheduled and saved before it went out changed for readers when it appeared).
        Feeds, sitemaps, the API and the page's JSON-LD all say this."""
        return max(filter(None, (self.updated_at, self.published_at)))

    @property
    def dateline_credit(self) -> str:
        """`بغداد/ تميم الحسن`: the dateline and the reporters, as papers print them."""
        if not self.dateline:
            return ""
        authors = [b.contributor.name for b in self.bylines.all() if b.role == Byline.Role.AUTHOR]
        return f"{self.dateline}/ {' و'.join(authors)}".strip()

    def compute_excerpt(self, max_chars: int = EXCERPT_CHARS) -> str:
        """The summary, else the opening of the body, cut on a word boundary."""
        if self.summary:
            return excerpt(self.summary, max_chars)
        return html_excerpt(self.body, max_chars)

    def excerpt(self, max_chars: int = EXCERPT_CHARS) -> str:
        """The excerpt stored with the row (`excerpt_text`), worked out afresh only for
        another length or a row not saved since it had one (a body loaded is then read)."""
        if max_chars == EXCERPT_CHARS and (self.excerpt_text or "body" not in self.__dict__):
            return self.excerpt_text
        return self.compute_excerpt(max_chars)


class Byline(models.Model):
    """A person credited on an article, in a role, in display order."""

    class Role(models.TextChoices):
        AUTHOR = "author", "كاتب"
        TRANSLATOR = "translator", "مترجم"
        PHOTOGRAPHER = "photographer", "مصوّر"
        EDITOR = "editor", "محرر"

    #: What the page prints before the name, as the seed page does (`ترجمة: حامد أحمد`).
    PRINTED_LABELS = {
        Role.AUTHOR: "بقلم",
        Role.TRANSLATOR: "ترجمة",
        Role.PHOTOGRAPHER: "تصوير",
        Role.EDITOR: "تحرير",
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        "accounts.Contributor",
        verbose_name="الاسم",
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    role = models.CharField("الدور", max_length=16, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField("الترتيب", default=0)

    class Meta:
        verbose_name = "توقيع"
        verbose_name_plural = "التواقيع"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="byline_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.contributor}"

    @property
    def label(self) -> str:
        """The Arabic label printed before the name: `ترجمة`, `تصوير`…"""
        return self.PRINTED_LABELS[self.role]


class ArchiveEntryQuerySet(models.QuerySet):
    def public(self, at=None):
        """The entries of stories readers see (their copies of `is_public`)."""
        return self.filter(is_public(at=at))


class ArchiveEntry(models.Model):
    """A story's row in a writer's or a tag's archive, with a copy of the story's status
    and publication time, so the archive is read newest first off an index of its own
    (key, status, published_at, article) as a section's is off the articles' one, never by
    walking the whole archive's index for the key's stories (docs/performance.md).
    `jarida.articles.listings.sync` writes them from the bylines and tags."""

    status = models.CharField(max_length=16)
    published_at = models.DateTimeField(null=True)

    objects = ArchiveEntryQuerySet.as_manager()

    class Meta:
        abstract = True


class WriterEntry(ArchiveEntry):
    """A person credited on the story in any role: one row however many roles (bylines),
    so the writer's archive lists the story once, without DISTINCT."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="writer_entries")
    contributor = models.ForeignKey(
        "accounts.Contributor", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        unique_together = [("contributor", "article")]
        indexes = [
            models.Index(
                fields=["contributor", "status", "-published_at", "-article"],
                name="writer_entry_newest_idx",
            )
        ]

    def __str__(self):
        return f"{self.contributor_id}: {self.article_id}"


class TagEntry(ArchiveEntry):
    """The story under one of its tags."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="tag_entries")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        unique_together = [("tag", "article")]
        indexes = [
            models.Index(
                fields=["tag", "status", "-published_at", "-article"],
                name="tag_entry_newest_idx",
            )
        ]

    def __str__(self):
        return f"{self.tag_id}: {self.article_id}"


# Every save keeps a revision of the article with its bylines. Restoring one goes through
# services.restore_revision, which takes back the text only, never the workflow state.
reversion.register(Byline)
reversion.register(Article, follow=("bylines",))


class ArticleEventQuerySet(models.QuerySet):
    def viewable_by(self, user):
        """Events of the articles this user may open; a deleted article's to editors only."""
        if sees_every_article(user):
            return self
        return self.filter(article__in=Article.objects.viewable_by(user))


class ArticleEvent(models.Model):
    """The audit log: who moved an article through the workflow, or deleted it, and when."""

    class Action(models.TextChoices):
        CREATED = "created", "أُنشئ"
        SUBMITTED = "submitted", "أُرسل للمراجعة"
        RETURNED = "returned", "أُعيد إلى المسودة"
        PUBLISHED = "published", "نُشر"
        SCHEDULED = "scheduled", "جُدول للنشر"
        UNPUBLISHED = "unpublished", "أُلغي نشره"
        RESTORED = "restored", "استُعيدت نسخة سابقة"
        DELETED = "deleted", "حُذف"

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    article_title = models.CharField("العنوان", max_length=300)
    action = models.CharField("الإجراء", max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="المستخدم",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("الوقت", default=timezone.now)
    published_at = models.DateTimeField("موعد النشر", null=True, blank=True)

    objects = ArticleEventQuerySet.as_manager()

    class Meta:
        verbose_name = "حدث تحريري"
        verbose_name_plural = "سجل التحرير"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"

    @classmethod
    def log(cls, article: Article, action: str, actor, published_at=None) -> "ArticleEvent":
        """Record that `actor` did `action` to `article` (its title is kept past a delete)."""
        return cls.objects.create(
            article=article,
            article_title=article.title,
            action=action,
            actor=actor,
            published_at=published_at,
        )


class ScheduledArticle(Article):
    """The back office's "scheduled" list: what goes out when."""

    class Meta:
        proxy = True
        verbose_name = "مقال مجدول"
        verbose_name_plural = "المقالات المجدولة"
