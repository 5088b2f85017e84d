"""The newsroom's content: sections, agencies, tags, articles and their bylines."""

from datetime import date, datetime, time, timedelta

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jarida.core.fields import CleanCharField, CleanTextField, RichTextField
from jarida.core.text import arabic_slug, clean_text, excerpt, html_to_text

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
        return reverse("reader:section", kwargs={"section_slug": self.slug})

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
        return reverse("reader:tag", kwargs={"slug": self.slug})


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

    def by_contributor(self, contributor):
        return self.filter(bylines__contributor=contributor).distinct()

    def tagged(self, tag):
        return self.filter(tags=tag)

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
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """What article cards print: section, image and bylines, without a query per row."""
        return self.select_related("section", "featured_image").prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("contributor"))
        )

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

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "مقال"
        verbose_name_plural = "المقالات"
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", "يستطيع نشر المقالات وجدولتها وإلغاء نشرها"),
            ("edit_any_article", "يستطيع تعديل مقالات الآخرين"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = arabic_slug(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "reader:article",
            kwargs={"section_slug": self.section.slug, "pk": self.pk, "slug": self.slug},
        )

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

    def excerpt(self, max_chars: int = 220) -> str:
        """The summary, else the opening of the body, cut on a word boundary."""
        text = self.summary or html_to_text(self.body)
        return excerpt(text, max_chars) if text else ""


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
