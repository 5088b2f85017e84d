"""Import a WordPress export (WXR 1.0 to 1.2, http:// or https:// namespaces), streaming.

Each post is one transaction (article, byline, tags, comments, old links), keyed by
`Article.external_id = "wxr:<site>:<post id>"`: a second run, or a run after a kill,
skips what is there and carries on, so the database ends as after one clean run.

Choices (docs/importing.md): categories are flattened to sections by slug, a post's first
category being its section and the others tags; pages and menu items are skipped, attachments
recorded (URL, alt text) and fetched only for featured images from allowed hosts; core
shortcodes are converted ([caption] → figure, [embed] → link) or dropped (gallery, audio,
video, playlist), others left as text; block-editor comments are stripped.
"""

import gzip
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
from django.utils.html import strip_tags

from jarida.articles import services
from jarida.articles.models import Article, Section, Tag
from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.comments.text import MAX_LENGTH, clean_comment_text
from jarida.core.signals import content_changed
from jarida.core.text import arabic_slug, clean_text, excerpt
from jarida.importers import media
from jarida.importers.models import ImportedAttachment, ImportRun, LegacyPermalink
from jarida.importers.runs import ImportReport, recorded_run
from jarida.importers.safexml import BadXML, iter_elements
from jarida.importers.taxonomy import section_named, tag_named

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.[0-2]/excerpt/$")
_OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}

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
    categories: list[tuple[str, str, str]]  # (domain, nicename, name)
    meta: dict[str, str]
    comments: list[dict[str, str]]

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()


def read_item(item) -> Post:
    fields, categories, meta, comments = {}, [], {}, []
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = short_name(child.tag)
        if name == "category":
            categories.append(
                (child.get("domain", ""), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            entry = _children(child)
            meta[entry.get("wp:meta_key", "")] = entry.get("wp:meta_value", "")
        elif name == "wp:comment":
            comments.append(_children(child))
        else:
            fields[name] = child.text or ""
    return Post(fields, categories, meta, comments)


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
    text = _BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
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
    return clean_text(html.unescape(strip_tags(value)))


def legacy_path(url: str) -> str | None:
    """The path a browser asks for at an old address: `/2012/01/03/slug/` or `/?p=123`."""
    parts = urlsplit(url.strip())
    if parts.path in ("", "/"):
        match = re.fullmatch(r"(p|page_id)=(\d+)", parts.query)
        return f"/?{match.group(1)}={match.group(2)}" if match else None
    path = unquote(parts.path)
    return path if len(path) <= 500 else None


class WxrImporter:
    """Reads the channel's authors and categories, then imports each item as it ends."""

    def __init__(self, options: WxrOptions, report: ImportReport, source_name: str):
        self.options, self.report = options, report
        self.site = ""
        self.fallback_site = source_name
        self.authors: dict[str, str] = {}
        self.categories: dict[str, tuple[str, str]] = {}  # nicename → (name, parent)

    def handle(self, element) -> None:
        """Dispatch one ended element; channel-level ones are then freed."""
        parent = element.getparent()
        if parent is None or parent.tag != "channel":
            return
        name = short_name(element.tag) if isinstance(element.tag, str) else ""
        if name == "item":
            self.import_item(read_item(element))
        elif name == "wp:author":
            author = _children(element)
            login = _login(author.get("wp:author_login", ""))
            self.authors[login] = plain_text(author.get("wp:author_display_name", "")) or login
        elif name == "wp:category":
            cat = _children(element)
            nicename = cat.get("wp:category_nicename", "").strip()
            self.categories[nicename] = (
                plain_text(cat.get("wp:cat_name", "")) or nicename,
                cat.get("wp:category_parent", "").strip(),
            )
        elif name in ("wp:base_blog_url", "link") and not self.site:
            self.site = urlsplit((element.text or "").strip()).netloc
        # Free what is done with: memory stays flat however long the channel is.
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del parent[0]

    def key(self, post_id: str) -> str:
        return f"wxr:{self.site or self.fallback_site}:{post_id}"

    def import_item(self, post: Post) -> None:
        post_type, post_id = post.get("wp:post_type") or "post", post.get("wp:post_id")
        self.report.tally[f"items of type {post_type}"] += 1
        try:
            if post_type == "post":
                with transaction.atomic():
                    self.import_post(post, post_id)
                    # Its comments and picture are bulk writes without model signals.
                    content_changed.send(sender=type(self))
            elif post_type == "attachment":
                self.record_attachment(post, post_id)
                self.report.skip("attachment (URL recorded)")
            elif post_type == "page":
                self.report.skip("page (Jarida has no static pages)")
            else:
                self.report.skip(post_type)
        except ValidationError as error:
            self.report.fail(f"post {post_id}", _messages(error))
        except Exception as error:  # one bad item never stops a long import
            self.report.fail(f"post {post_id}", f"{type(error).__name__}: {error}")

    def import_post(self, post: Post, post_id: str) -> None:
        wp_status = post.get("wp:status")
        if wp_status in SKIPPED_STATUSES:
            self.report.skip(f"status {wp_status}")
            self.report.warn(f"post {post_id}", f"status {wp_status}: not imported")
            return
        if wp_status not in STATUSES:
            raise ValueError(f"unknown post status {wp_status!r}")
        if not post_id.isdigit():
            raise ValueError("missing or invalid wp:post_id")
        key = self.key(post_id)
        article = Article.objects.filter(external_id=key).first()
        created = article is None
        if not created and not self.options.update:
            self.report.skip("already imported")
            return
        article = article or Article(external_id=key)
        status = self.fill(article, post, post_id, wp_status)
        tags = self.tags(post)
        contributor = services.contributor_named(self.author(post))
        services.save_article(article, bylines=[services.BylineSpec(contributor)], tags=tags)
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
        published_at = self.date(post.get("wp:post_date_gmt"), UTC) or self.date(
            post.get("wp:post_date"), self.options.time_zone
        )
        if status == Article.Status.PUBLISHED and published_at is None:
            raise ValueError("published post without a date (wp:post_date)")
        article.title = title[:300]
        article.slug = arabic_slug(unquote(post.get("wp:post_name")) or title, 200)
        article.body = body_html(post.fields.get("content:encoded", ""))
        article.summary = plain_text(post.fields.get("excerpt:encoded", ""))
        article.section = self.section(post)
        article.status = status
        article.published_at = published_at
        article.comments_open = post.get("wp:comment_status") != "closed"
        return status

    def date(self, value: str, zone) -> datetime | None:
        if not value or value.startswith("0000"):
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
        except ValueError:
            return None

    def author(self, post: Post) -> str:
        login = _login(post.get("dc:creator"))
        return self.authors.get(login) or plain_text(login) or "WordPress"

    def section(self, post: Post) -> Section:
        first = next((c for c in post.categories if c[0] == "category"), None)
        if first is None:
            return section_named(self.options.default_section, DEFAULT_SECTION[1])
        _, nicename, name = first
        name = self.categories.get(nicename, (plain_text(name) or unquote(nicename),))[0]
        return section_named(nicename, name)

    def tags(self, post: Post) -> list[Tag]:
        first_category = next((n for d, n, _ in post.categories if d == "category"), None)
        names = [
            plain_text(name)
            for domain, nicename, name in post.categories
            if domain == "post_tag" or (domain == "category" and nicename != first_category)
        ]
        return [tag_named(name) for name in dict.fromkeys(names) if name]

    def record_permalinks(self, article: Article, post: Post, post_id: str) -> None:
        paths = {f"/?p={post_id}", legacy_path(post.get("link"))} - {None}
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
            if kind in NOT_READER_COMMENTS:
                self.report.tally[f"comments skipped: {kind}"] += 1
            elif approved in SKIPPED_COMMENT_STATUSES:
                self.report.tally[f"comments skipped: {approved}"] += 1
            elif approved not in COMMENT_STATUSES:
                self.report.warn(f"comment {comment_id}", f"unknown state {approved!r}: skipped")
            elif (comment := self.comment(article, data, comment_id)) is not None:
                wanted[comment_id] = (comment, data.get("wp:comment_parent", "0").strip())
        roots = {cid: self.root(cid, wanted) for cid in wanted}
        top = [c for cid, (c, _) in wanted.items() if roots[cid] == cid]
        replies = [c for cid, (c, _) in wanted.items() if roots[cid] != cid]
        Comment.objects.bulk_create(top)
        for cid, (comment, _) in wanted.items():
            if roots[cid] != cid:
                comment.parent = wanted[roots[cid]][0]
        Comment.objects.bulk_create(replies)
        # auto_now_add stamped "now" on insert: put back the dates the comments were written.
        everything = top + replies
        for comment in everything:
            comment.created_at = comment.written_at
        Comment.objects.bulk_update(everything, ["created_at"])
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

    def comment(self, article: Article, data: dict, comment_id: str) -> Comment | None:
        text = clean_comment_text(html.unescape(strip_tags(data.get("wp:comment_content", ""))))
        if not text:
            self.report.warn(f"comment {comment_id}", "empty text: skipped")
            return None
        if len(text) > MAX_LENGTH:
            text = excerpt(text, MAX_LENGTH)
            self.report.warn(f"comment {comment_id}", f"longer than {MAX_LENGTH}: shortened")
        written_at = self.date(data.get("wp:comment_date_gmt", ""), UTC) or self.date(
            data.get("wp:comment_date", ""), self.options.time_zone
        )
        comment = Comment(
            article=article,
            text=text,
            name=plain_text(data.get("wp:comment_author", ""))[:60],
            email=_valid(data.get("wp:comment_author_email", "").strip().lower(), validate_email),
            ip_address=_valid(data.get("wp:comment_author_IP", "").strip(), validate_ipv46_address)
            or None,
            status=COMMENT_STATUSES[data["wp:comment_approved"].strip()],
            text_key=text_key(text),
        )
        comment.written_at = written_at or article.published_at
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
            attachment.image = image
            attachment.save(update_fields=["image"])
            Article.objects.filter(pk=attachment.featured_in_id).update(featured_image=image)
            self.report.tally["featured images fetched"] += 1

    def report_flattened_categories(self) -> None:
        children = [f"{n} (in {parent})" for n, (_, parent) in self.categories.items() if parent]
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


def import_wxr(
    path: Path,
    options: WxrOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one WordPress export file; `progress(bytes_read)` follows the file."""
    path, options, report = Path(path), options or WxrOptions(), ImportReport()
    importer = WxrImporter(options, report, path.name)
    with recorded_run(ImportRun.Kind.WXR, str(path), report), path.open("rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw

        def repaired(line: int) -> None:
            report.warn(f"line {line}", "not UTF-8: read as windows-1256")

        try:
            for element in iter_elements(stream, on_repair=repaired):
                importer.handle(element)
                if progress and element.tag == "item":
                    progress(raw.tell())
        except BadXML as error:
            report.fail(path.name, str(error))
            report.error = str(error)
        importer.report_flattened_categories()
        importer.fetch_featured_images()
    return report
