"""Import a WordPress export (WXR 1.0 to 1.2, http:// or https:// namespaces), streaming.

The file is refused, with WordPress's own words, unless it names its WXR version. Then
each post is one transaction (article, byline, tags, comments, old links), keyed by
`Article.external_id = "wxr:<site>:<post id>"`: a second run, or a run after a kill,
skips what is there and carries on, so the database ends as after one clean run.

Every write goes through the services an editor's save goes through
(`articles.services`, `accounts.services`): the same cleaning, slugs, search index and
page-cache invalidation as the back office.

Choices (docs/importing.md): every category the file declares becomes a section (by slug;
the hierarchy is flattened and reported), every tag a tag; a post's first category is its
section and its other categories become tags; authors become contributors keeping their
login and e-mail (staff-only); pages and menu items are skipped, attachments recorded
(URL, alt text) and fetched only for featured images from allowed hosts; core shortcodes
are converted ([caption] → figure, [embed] → link) or dropped (gallery, audio, video,
playlist), others left as text; block-editor comments are stripped. What WordPress would
fill in (a date, a status) is filled in the same way and reported item by item.
"""

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.db import transaction
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.accounts.services import Author, contributor_for_author
from jarida.articles import services
from jarida.articles.models import Article, Section, Tag
from jarida.comments import services as comment_services
from jarida.comments.models import Comment
from jarida.comments.text import MAX_LENGTH, clean_comment_text
from jarida.core.signals import content_changed
from jarida.core.text import arabic_slug, clean_text, excerpt, html_paragraphs, html_to_text
from jarida.importers import media
from jarida.importers.models import ImportedAttachment, ImportRun, LegacyPermalink
from jarida.importers.runs import ImportReport, recorded_run
from jarida.importers.safexml import BadXML, iter_elements
from jarida.importers.streams import TooLarge, open_import

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}

#: WordPress's message for a file without a usable `wp:wxr_version` (its parsers' words).
NOT_WXR = "This does not appear to be a WXR file, missing/invalid WXR version number"
_VERSION = re.compile(r"^\d+\.\d+$")
#: The newest WXR version WordPress's importer knows; newer ones are read with a warning.
MAX_VERSION = (1, 2)

#: WordPress post status → Jarida status; "scheduled" is PUBLISHED with a future date.
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.UNPUBLISHED,
}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
#: WordPress comment_approved → Jarida comment status; trashed comments are skipped.
COMMENT_STATUSES = {
    "1": Comment.Status.PUBLISHED,
    "approve": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
SKIPPED_COMMENT_STATUSES = {"trash", "post-trashed"}
NOT_READER_COMMENTS = {"pingback", "trackback"}
#: Post meta Jarida reads; any other custom field is counted as not imported.
READ_META = {"_thumbnail_id", "_wp_attachment_image_alt"}
UNTITLED = "(بلا عنوان)"
DEFAULT_SECTION = ("uncategorized", "غير مصنف")


@dataclass(frozen=True)
class WxrOptions:
    """How to read an export: its time zone, the fallback section, rewrite or skip, media hosts."""

    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))
    default_section: str = DEFAULT_SECTION[0]
    update: bool = False
    media_hosts: frozenset[str] = frozenset()


@lru_cache(maxsize=256)
def short_name(tag: str) -> str:
    """`{https://wordpress.org/export/1.2/}post_id` → `wp:post_id`, whatever the WXR version."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    if _WP_NAMESPACE.match(namespace):
        return f"wp:{local}"
    if _EXCERPT_NAMESPACE.match(namespace):
        return f"excerpt:{local}"
    prefix = _OTHER_NAMESPACES.get(namespace)
    return f"{prefix}:{local}" if prefix else tag


def _children(element) -> dict[str, str]:
    return {
        short_name(child.tag): child.text or "" for child in element if isinstance(child.tag, str)
    }


@dataclass
class Post:
    """One `<item>` as plain data."""

    fields: dict[str, str]
    terms: list[tuple[str, str, str]]  # (taxonomy, slug, name)
    meta: dict[str, str]
    comments: list[dict[str, str]]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def read_item(item) -> Post:
    fields, terms, meta, comments = {}, [], {}, []
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = short_name(child.tag)
        if name == "category":
            # As WordPress's parsers: a term needs its slug (WXR 1.0 repeats each term
            # without one), and WXR 1.0 calls the tag taxonomy "tag".
            if child.get("nicename") is not None:
                domain = child.get("domain", "")
                taxonomy = "post_tag" if domain == "tag" else domain
                terms.append((taxonomy, child.get("nicename").strip(), child.text or ""))
        elif name == "wp:postmeta":
            entry = _children(child)
            meta[entry.get("wp:meta_key", "")] = entry.get("wp:meta_value", "")
        elif name == "wp:comment":
            comments.append(_children(child))
        else:
            fields[name] = child.text or ""
    return Post(fields, terms, meta, comments)


@dataclass(frozen=True)
class Term:
    """A category, tag or other term the channel declares (used by a post or not)."""

    taxonomy: str
    slug: str
    name: str
    parent: str = ""
    description: str = ""

    @classmethod
    def read(cls, kind: str, data: dict[str, str]) -> "Term":
        if kind == "wp:category":
            return cls(
                "category",
                data.get("wp:category_nicename", "").strip(),
                data.get("wp:cat_name", ""),
                data.get("wp:category_parent", "").strip(),
                data.get("wp:category_description", ""),
            )
        if kind == "wp:tag":
            return cls(
                "post_tag",
                data.get("wp:tag_slug", "").strip(),
                data.get("wp:tag_name", ""),
                description=data.get("wp:tag_description", ""),
            )
        return cls(
            data.get("wp:term_taxonomy", "").strip(),
            data.get("wp:term_slug", "").strip(),
            data.get("wp:term_name", ""),
            data.get("wp:term_parent", "").strip(),
            data.get("wp:term_description", ""),
        )


# Body conversion -------------------------------------------------------------------------

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.S)
_CAPTION_PARTS = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S)
_EMBED = re.compile(r"\[embed\b[^\]]*\]\s*(\S+?)\s*\[/embed\]", re.S)
_DROPPED_SHORTCODES = re.compile(r"\[/?(?:gallery|audio|video|playlist)\b[^\]]*\]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BLOCK_TAGS = (
    "p|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption"
    "|div|hr|dl|dt|dd|address|section|iframe"
)
_OPENING_BLOCK = re.compile(rf"(<(?:{_BLOCK_TAGS})\b[^>]*>)", re.I)
_CLOSING_BLOCK = re.compile(rf"(</(?:{_BLOCK_TAGS})\s*>)", re.I)
_BLOCK_START = re.compile(rf"</?(?:{_BLOCK_TAGS})\b", re.I)


def _figure(match: re.Match) -> str:
    parts = _CAPTION_PARTS.match(match.group(1))
    if not parts:
        return match.group(1)
    image, caption = parts.groups()
    return f"<figure>{image}<figcaption>{caption.strip()}</figcaption></figure>"


def body_html(content: str) -> str:
    """WordPress post_content as HTML paragraphs (WordPress adds `<p>` only when it renders)."""
    # CDATA markers written inside a post (WordPress keeps them as text) would be taken
    # for a comment by the HTML sanitiser and lost with what they enclose: keep them text.
    text = content.replace("<![CDATA[", "&lt;![CDATA[").replace("]]>", "]]&gt;")
    text = _BLOCK_COMMENT.sub("", text.replace("\r\n", "\n"))
    text = _CAPTION.sub(_figure, text)
    text = _EMBED.sub(
        lambda m: f'<p><a href="{html.escape(m.group(1))}">{m.group(1)}</a></p>', text
    )
    text = _DROPPED_SHORTCODES.sub("", text)
    # As WordPress's wpautop: block elements stand apart, the text between them becomes
    # paragraphs, and a single line break inside a paragraph is a <br>.
    text = _CLOSING_BLOCK.sub("\n\n\\1\n\n", _OPENING_BLOCK.sub("\n\n\\1", text))
    blocks = []
    for chunk in _PARAGRAPH_BREAK.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            blocks.append(chunk)
        else:
            blocks.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(blocks)


def plain_text(value: str) -> str:
    """A title or name as WordPress stores it (markup, entities) → clean plain text."""
    return clean_text(html_to_text(value))


def legacy_path(url: str) -> str | None:
    """The path a browser asks for at an old address: `/2012/01/03/slug/` or `/?p=123`."""
    parts = urlsplit(url.strip())
    if parts.path in ("", "/"):
        match = re.fullmatch(r"(p|page_id)=(\d+)", parts.query)
        return f"/?{match.group(1)}={match.group(2)}" if match else None
    path = unquote(parts.path)
    return path if len(path) <= 500 else None


class WxrImporter:
    """Reads the channel's declarations (authors, terms), then imports each item as it ends."""

    def __init__(self, options: WxrOptions, report: ImportReport, source_name: str):
        self.options, self.report = options, report
        self.site = ""
        self.fallback_site = source_name
        self.pending_terms: list[Term] = []
        self.pending_authors: list[Author] = []
        self.categories: dict[str, Term] = {}  # slug → the declared category
        self.sections: dict[str, Section] = {}  # category slug → its section
        self.people: dict[str, Contributor] = {}  # login → contributor

    def handle(self, element) -> None:
        """Dispatch one ended element; channel-level ones are then freed."""
        parent = element.getparent()
        if parent is None or parent.tag != "channel":
            return
        name = short_name(element.tag) if isinstance(element.tag, str) else ""
        if name == "item":
            self.declare()
            self.import_item(read_item(element))
        elif name == "wp:author":
            author = _children(element)
            self.pending_authors.append(
                Author(
                    login=_login(author.get("wp:author_login", "")),
                    email=author.get("wp:author_email", ""),
                    name=plain_text(author.get("wp:author_display_name", ""))
                    or plain_text(
                        f"{author.get('wp:author_first_name', '')} "
                        f"{author.get('wp:author_last_name', '')}"
                    ),
                )
            )
        elif name in ("wp:category", "wp:tag", "wp:term"):
            term = Term.read(name, _children(element))
            self.pending_terms.append(term)
            if term.taxonomy == "category":
                self.categories.setdefault(term.slug, term)
        elif name in ("wp:base_blog_url", "wp:base_site_url", "link") and not self.site:
            self.site = urlsplit((element.text or "").strip()).netloc
        # Free what is done with: memory stays flat however long the channel is.
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del parent[0]

    def key(self, post_id: str) -> str:
        return f"wxr:{self.site or self.fallback_site}:{post_id}"

    # Declarations ------------------------------------------------------------------------

    def declare(self) -> None:
        """Create what the channel declared so far: people, sections, tags (used or not)."""
        if not (self.pending_authors or self.pending_terms):
            return
        with transaction.atomic():
            for author in self.pending_authors:
                if author.login and author.login not in self.people:
                    self.people[author.login] = self.person(author)
            tags = []
            for term in self.pending_terms:
                if term.taxonomy == "category" and term.slug:
                    self.section_for(term.slug, term.name, term.description)
                elif term.taxonomy == "post_tag" and term.slug:
                    tags.append(services.TagSpec(plain_text(term.name), term.slug))
                else:
                    self.report.tally[f"terms not imported: taxonomy {term.taxonomy or '?'}"] += 1
            services.tags_for(tags)
            self.report.tally["tags declared"] += len(tags)
            content_changed.send(sender=Tag)  # tags are created in bulk
        self.pending_authors, self.pending_terms = [], []

    def person(self, author: Author) -> Contributor:
        contributor, created = contributor_for_author(author)
        if author.email.strip() and not contributor.email:
            self.report.warn(f"author {author.login}", f"e-mail {author.email!r} invalid: not kept")
        self.report.tally["authors created" if created else "authors matched"] += 1
        return contributor

    def section_for(self, slug: str, name: str, description: str = "") -> Section:
        """The section of a category (by its slug), created with its name when new."""
        if slug not in self.sections:
            wanted = plain_text(name) or plain_text(unquote(slug))
            section, created = services.find_or_create_section(
                slug, wanted, plain_text(description)
            )
            if created and section.name != wanted:
                self.report.warn(
                    f"category {slug}",
                    f"another section is named {wanted!r}: this one is {section.name!r}",
                )
            self.report.tally["sections created" if created else "sections matched"] += 1
            self.sections[slug] = section
        return self.sections[slug]

    # Items -------------------------------------------------------------------------------

    def import_item(self, post: Post) -> None:
        post_type, post_id = post.get("wp:post_type"), post.get("wp:post_id")
        item = f"post {post_id}" if post_id else f"item {plain_text(post.get('title'))!r}"
        self.report.tally[f"items of type {post_type or '(none)'}"] += 1
        self.report.tally["custom fields not imported"] += len(post.meta.keys() - READ_META)
        try:
            if not post_type:
                # WordPress: "Failed to import …: Invalid post type".
                raise ValueError("invalid post type '' (no wp:post_type): not imported")
            if post_type == "post":
                with transaction.atomic():
                    self.import_post(post, post_id)
                    # Its comments are bulk writes without model signals.
                    content_changed.send(sender=type(self))
            elif post_type == "attachment":
                self.record_attachment(post, post_id)
                self.report.skip("attachment (URL recorded)")
            elif post_type == "page":
                self.report.skip("page (Jarida has no static pages)")
            else:
                self.report.skip(post_type)
        except ValidationError as error:
            self.report.fail(item, _messages(error))
        except Exception as error:  # one bad item never stops a long import
            self.report.fail(item, f"{type(error).__name__}: {error}")

    def import_post(self, post: Post, post_id: str) -> None:
        wp_status = post.get("wp:status")
        if wp_status in SKIPPED_STATUSES:
            self.report.skip(f"status {wp_status}")
            self.report.warn(f"post {post_id}", f"status {wp_status}: not imported")
            return
        if not wp_status:
            # wp_insert_post() saves a post without a status as a draft.
            wp_status = "draft"
            self.report.warn(f"post {post_id}", "no status: imported as a draft, as WordPress")
        if wp_status not in STATUSES:
            raise ValueError(f"unknown post status {wp_status!r}")
        if post_id.isdigit() and len(post_id) <= 19:  # fits WordPress's (int) cast
            key = self.key(post_id)
        else:
            # WordPress casts a missing or unusable id to 0 and recognises an earlier import
            # of the post by its title and date (post_exists()): the key does the same.
            title_date = f"{post.get('title')}\0{post.get('wp:post_date')}"
            key = self.key(f"title-date-{hashlib.sha256(title_date.encode()).hexdigest()[:16]}")
            self.report.warn(
                f"item {plain_text(post.get('title'))[:80]!r}",
                f"no usable wp:post_id ({post_id[:20]!r}): imported, recognised on a rerun by "
                "its title and date as WordPress's post_exists() does",
            )
            post_id = ""
        article = Article.objects.filter(external_id=key).first()
        created = article is None
        if not created and not self.options.update:
            self.report.skip("already imported")
            return
        article = article or Article(external_id=key)
        status = self.fill(article, post, post_id, wp_status)
        author = self.author(post, post_id)
        services.save_article(
            article,
            bylines=[services.BylineSpec(author)] if author else [],
            tags=self.tags(post),
        )
        self.record_permalinks(article, post, post_id)
        self.record_featured_image(article, post)
        if created:
            self.import_comments(article, post)
            self.report.created += 1
        else:
            self.report.updated += 1
        self.report.tally[f"post status {wp_status} → {status}"] += 1

    def fill(self, article: Article, post: Post, post_id: str, wp_status: str) -> str:
        title = plain_text(post.get("title"))
        if not title:
            title = UNTITLED
            self.report.warn(f"post {post_id}", f"no title: imported as {UNTITLED}")
        status = STATUSES[wp_status]
        if post.get("wp:post_password"):
            # Jarida has no per-article passwords: never show what the author protected.
            status = Article.Status.UNPUBLISHED
            self.report.warn(f"post {post_id}", "password-protected: kept unpublished")
        article.title = title[:300]
        article.slug = arabic_slug(unquote(post.get("wp:post_name")) or title, 200)
        article.body = body_html(post.fields.get("content:encoded", ""))
        article.summary = plain_text(post.fields.get("excerpt:encoded", ""))
        article.section = self.section(post)
        article.status = status
        article.published_at = self.published_at(article, post, post_id, status)
        article.comments_open = post.get("wp:comment_status") != "closed"
        return status

    def published_at(self, article: Article, post: Post, post_id: str, status: str):
        """The post's GMT date, else its local date, else (as WordPress) the import time."""
        date = self.date(post.get("wp:post_date_gmt"), UTC) or self.date(
            post.get("wp:post_date"), self.options.time_zone
        )
        if date or status != Article.Status.PUBLISHED:
            return date or article.published_at
        if article.published_at:  # an --update keeps the date the first run gave it
            return article.published_at
        self.report.warn(
            f"post {post_id}",
            "no date (wp:post_date, wp:post_date_gmt): published at the import time, "
            "as WordPress does",
        )
        self.report.tally["dates filled in with the import time"] += 1
        return timezone.now()

    def date(self, value: str, zone) -> datetime | None:
        if not value or value.startswith("0000"):
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            return None

    def author(self, post: Post, post_id: str) -> Contributor | None:
        """The post's author by login (dc:creator): declared in the channel or met here."""
        login = _login(post.get("dc:creator"))
        if not login:
            self.report.warn(f"post {post_id}", "no author (dc:creator): no byline")
            return None
        if login not in self.people:
            # WXR 1.0 declares no authors: WordPress takes them from the posts too.
            self.people[login] = self.person(Author(login=login, name=plain_text(login)))
        return self.people[login]

    def section(self, post: Post) -> Section:
        first = next(((slug, name) for tax, slug, name in post.terms if tax == "category"), None)
        if first is None:
            return self.section_for(self.options.default_section, DEFAULT_SECTION[1])
        slug, name = first
        declared = self.categories.get(slug)
        return self.section_for(slug, declared.name if declared else name)

    def tags(self, post: Post) -> list[Tag]:
        categories = [(slug, name) for tax, slug, name in post.terms if tax == "category"]
        specs = []
        for taxonomy, slug, name in post.terms:
            if taxonomy == "post_tag" or (taxonomy == "category" and (slug, name) != categories[0]):
                declared = self.categories.get(slug) if taxonomy == "category" else None
                specs.append(
                    services.TagSpec(plain_text(declared.name if declared else name), slug)
                )
            elif taxonomy != "category":
                self.report.tally[f"post terms not imported: taxonomy {taxonomy or '?'}"] += 1
        return services.tags_for(specs)

    def record_permalinks(self, article: Article, post: Post, post_id: str) -> None:
        paths = {f"/?p={post_id}" if post_id else None, legacy_path(post.get("link"))} - {None}
        for path in paths:
            LegacyPermalink.objects.update_or_create(path=path, defaults={"article": article})

    def record_featured_image(self, article: Article, post: Post) -> None:
        thumbnail = post.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            ImportedAttachment.objects.update_or_create(
                key=self.key(thumbnail), defaults={"featured_in": article}
            )

    def record_attachment(self, post: Post, post_id: str) -> None:
        url = post.get("wp:attachment_url") or post.get("guid")
        parent = post.get("wp:post_parent")
        ImportedAttachment.objects.update_or_create(
            key=self.key(post_id),
            defaults={
                "url": url[:1000],
                "title": plain_text(post.get("title"))[:300],
                "alt_text": plain_text(post.meta.get("_wp_attachment_image_alt", ""))[:250],
                "parent_key": self.key(parent) if parent not in ("", "0") else "",
            },
        )

    def import_comments(self, article: Article, post: Post) -> None:
        """Reader comments with their state; replies attach to their top-level ancestor."""
        wanted = {}
        for data in post.comments:
            comment_id = data.get("wp:comment_id", "").strip()
            kind = data.get("wp:comment_type", "").strip()
            approved = data.get("wp:comment_approved", "").strip()
            if not approved:
                # Never show unreviewed text: a comment of unknown state waits for a moderator.
                approved = "0"
                self.report.warn(f"comment {comment_id}", "no state: held for moderation")
            if kind in NOT_READER_COMMENTS:
                self.report.tally[f"comments skipped: {kind}"] += 1
            elif approved in SKIPPED_COMMENT_STATUSES:
                self.report.tally[f"comments skipped: {approved}"] += 1
            elif approved not in COMMENT_STATUSES:
                self.report.warn(f"comment {comment_id}", f"unknown state {approved!r}: skipped")
            elif (comment := self.comment(article, data, comment_id, approved)) is not None:
                wanted[comment_id] = (comment, data.get("wp:comment_parent", "0").strip())
        roots = {cid: self.root(cid, wanted) for cid in wanted}
        for cid, (comment, _) in wanted.items():
            # One level of replies, as the comments app shows them.
            comment.parent = wanted[roots[cid]][0] if roots[cid] != cid else None
        everything = comment_services.save_comments_in_bulk([c for c, _ in wanted.values()])
        for comment in everything:
            self.report.tally[f"comments {comment.status}"] += 1
            self.report.tally["comments replies" if comment.parent else "comments top-level"] += 1

    @staticmethod
    def root(comment_id: str, wanted: dict) -> str:
        """The top-level ancestor among imported comments (a reply to a skipped one is alone)."""
        seen = {comment_id}
        while (parent := wanted[comment_id][1]) in wanted and parent not in seen:
            seen.add(parent)
            comment_id = parent
        return comment_id

    def comment(
        self, article: Article, data: dict, comment_id: str, approved: str
    ) -> Comment | None:
        # Paragraphs kept apart (the comments app shows line breaks), markup gone.
        text = clean_comment_text("\n\n".join(html_paragraphs(data.get("wp:comment_content", ""))))
        if not text:
            self.report.warn(f"comment {comment_id}", "empty text: skipped")
            return None
        if len(text) > MAX_LENGTH:
            text = excerpt(text, MAX_LENGTH)
            self.report.warn(f"comment {comment_id}", f"longer than {MAX_LENGTH}: shortened")
        written_at = self.date(data.get("wp:comment_date_gmt", ""), UTC) or self.date(
            data.get("wp:comment_date", ""), self.options.time_zone
        )
        # The reader's form's path: `new_comment` cleans and keys it; WordPress's state is
        # its moderation state.
        comment = comment_services.new_comment(
            article,
            comment_services.Submission(
                text=text,
                name=plain_text(data.get("wp:comment_author", "")),
                email=_valid(data.get("wp:comment_author_email", "").strip(), validate_email),
                ip_address=_valid(
                    data.get("wp:comment_author_IP", "").strip(), validate_ipv46_address
                )
                or None,
            ),
            status=COMMENT_STATUSES[approved],
        )
        comment.written_at = written_at or article.published_at or timezone.now()
        return comment

    def fetch_featured_images(self) -> None:
        """Fetch featured images whose host is allowed; the others keep only their URL."""
        pending = ImportedAttachment.objects.filter(
            featured_in__isnull=False, image__isnull=True
        ).exclude(url="")
        for attachment in pending.select_related("featured_in").iterator():
            host = urlsplit(attachment.url).hostname or ""
            if host not in self.options.media_hosts:
                self.report.tally["featured images left at their URL (host not allowed)"] += 1
                continue
            try:
                image = media.fetch_image(
                    attachment.url,
                    alt_text=attachment.alt_text
                    or attachment.title
                    or attachment.featured_in.title,
                )
            except media.MediaError as error:
                self.report.warn(attachment.url, f"featured image not fetched: {error}")
                continue
            with transaction.atomic():
                attachment.image = image
                attachment.save(update_fields=["image"])
                services.set_featured_image(attachment.featured_in, image)
            self.report.tally["featured images fetched"] += 1

    def report_flattened_categories(self) -> None:
        children = [
            f"{slug} (in {term.parent})" for slug, term in self.categories.items() if term.parent
        ]
        if children:
            self.report.warn("categories", "hierarchy flattened: " + ", ".join(children))


def _login(value: str) -> str:
    # Hand-edited exports carry stray brackets (the theme test file has `>themereviewteam`).
    return value.strip().strip("<>").strip()


def _valid(value: str, validator: Callable[[str], None]) -> str:
    try:
        validator(value)
    except ValidationError:
        return ""
    return value


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
    return " ".join(error.messages)


def _open(path: Path):
    return open_import(path)  # a .gz is read through the decompression caps


def wxr_version(path: Path) -> str:
    """The file's `wp:wxr_version`, read before anything is imported; NotWxr without one.

    WordPress refuses a file without a version of the form `1.2` (so would Jarida import an
    RSS feed or a half-written file as if it were an export): its words are kept.
    """
    raw, stream = _open(path)
    with raw:
        for element in iter_elements(stream, on_repair=lambda line: None):
            parent = element.getparent()
            if parent is None or parent.tag != "channel":
                continue
            if isinstance(element.tag, str) and short_name(element.tag) == "wp:wxr_version":
                version = (element.text or "").strip()
                if not _VERSION.match(version):
                    raise NotWxr(f"{NOT_WXR} (it says {version[:20]!r})")
                return version
            element.clear(keep_tail=True)  # a long file without a version stays small
            while element.getprevious() is not None:
                del parent[0]
    raise NotWxr(f"{NOT_WXR} (no wp:wxr_version in the channel)")


class NotWxr(Exception):
    """The file is not a WordPress export WordPress would read."""


def import_wxr(
    path: Path,
    options: WxrOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one WordPress export file; `progress(bytes_read)` follows the file."""
    path, options, report = Path(path), options or WxrOptions(), ImportReport()
    importer = WxrImporter(options, report, path.name)
    with recorded_run(ImportRun.Kind.WXR, str(path), report):
        try:
            version = wxr_version(path)
        except TooLarge as error:
            report.fail(path.name, str(error))
            report.error = str(error)
            return report
        except (BadXML, NotWxr) as error:
            report.fail(path.name, f"refused: {error}")
            report.error = str(error)
            return report
        report.tally[f"WXR version {version}"] += 1
        if tuple(int(n) for n in version.split(".")) > MAX_VERSION:
            report.warn(
                path.name,
                f"This WXR file (version {version}) may not be supported by this version "
                "of the importer (WordPress's warning); read as WXR 1.2",
            )
        raw, stream = _open(path)
        with raw:

            def repaired(line: int) -> None:
                report.warn(f"line {line}", "not UTF-8: read as windows-1256")

            def noted(line: int, message: str) -> None:
                report.warn(f"line {line}", message)

            try:
                for element in iter_elements(stream, on_repair=repaired, on_warning=noted):
                    importer.handle(element)
                    if progress and element.tag == "item":
                        progress(raw.tell())
            except (BadXML, TooLarge) as error:
                report.fail(path.name, str(error))
                report.error = str(error)
            importer.declare()  # declarations after the last item (or in a file without any)
        importer.report_flattened_categories()
        importer.fetch_featured_images()
    return report
