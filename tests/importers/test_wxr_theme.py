"""WordPress's own theme test export, imported whole: counts, text, threads, statuses, links."""

import html
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from django.utils.text import slugify

from jarida.accounts.models import Contributor
from jarida.articles.models import Article, Section, Tag
from jarida.comments.models import Comment
from jarida.importers.models import ImportRun, LegacyPermalink
from jarida.importers.wxr import WxrImporter, import_wxr

pytestmark = pytest.mark.django_db

WP = "{https://wordpress.org/export/1.2/}"
DC = "{http://purl.org/dc/elements/1.1/}"
IMPORTED = {"publish", "future", "draft", "pending", "private"}

# Verified by reading the file (and recomputed from it below): 58 posts (55 published,
# 1 published behind a password, 1 draft, 1 scheduled for 2030), 68 sections (the 68
# categories the channel declares, used by a post or not, as WordPress creates them),
# 177 tags (the 110 declared tags and the categories posts carry beside their first one,
# one tag per slug or name), 2 authors, 24 reader comments (23 approved, 1 pending; 9 of
# them nested up to 10 deep under one thread) beside 2 pingbacks and 2 trackbacks.
POSTS, SECTIONS, TAGS, CONTRIBUTORS, COMMENTS = 58, 68, 177, 2, 24


def one_per_slug_or_name(terms: list[tuple[str, str]]) -> int:
    """How many tags (slug, name) pairs make when a shared slug or name is one tag."""
    groups: list[tuple[set, set]] = []
    for slug, name in terms:
        joined = [g for g in groups if slug in g[0] or name in g[1]]
        merged = ({slug}, {name})
        for group in joined:
            merged[0].update(group[0])
            merged[1].update(group[1])
            groups.remove(group)
        groups.append(merged)
    return len(groups)


def facts(path) -> dict:
    """What the file holds, read with the standard library (independently of the importer)."""
    channel = ET.parse(path).getroot().find("channel")
    posts = [
        item
        for item in channel.iter("item")
        if item.findtext(f"{WP}post_type") == "post" and item.findtext(f"{WP}status") in IMPORTED
    ]
    declared = {c.findtext(f"{WP}category_nicename"): c for c in channel.findall(f"{WP}category")}
    sections = set(declared)
    tags = [
        (slug(t.findtext(f"{WP}tag_slug")), html.unescape(t.findtext(f"{WP}tag_name")))
        for t in channel.findall(f"{WP}tag")
    ]
    comments = Counter()
    for post in posts:
        categories = [c for c in post.iter("category") if c.get("domain") == "category"]
        sections.add(categories[0].get("nicename") if categories else "uncategorized")
        for c in post.iter("category"):
            if c.get("domain") == "post_tag" or (c in categories and c is not categories[0]):
                known = declared.get(c.get("nicename"))
                name = known.findtext(f"{WP}cat_name") if known is not None else c.text
                tags.append((slug(c.get("nicename")), html.unescape(name)))
        for comment in post.iter(f"{WP}comment"):
            kind = comment.findtext(f"{WP}comment_type") or "comment"
            comments[(kind, comment.findtext(f"{WP}comment_approved"))] += 1
    return {
        "posts": len(posts),
        "statuses": Counter(p.findtext(f"{WP}status") for p in posts),
        "sections": len(sections),
        "tags": one_per_slug_or_name(tags),
        "authors": len({p.findtext(f"{DC}creator").strip("<> ") for p in posts}),
        "comments": comments,
    }


def slug(nicename: str) -> str:
    return slugify(unquote(nicename), allow_unicode=True)


def by_post_id(post_id: int) -> Article:
    return Article.objects.get(external_id=f"wxr:wpthemetestdata.wordpress.com:{post_id}")


def test_counts_match_the_file(theme_file):
    file = facts(theme_file)
    assert (file["posts"], file["sections"], file["tags"], file["authors"]) == (
        POSTS,
        SECTIONS,
        TAGS,
        CONTRIBUTORS,
    )
    reader_comments = sum(n for (kind, _), n in file["comments"].items() if kind == "comment")
    assert reader_comments == COMMENTS

    report = import_wxr(theme_file)

    assert report.failed == 0
    assert report.created == Article.objects.count() == POSTS
    assert Section.objects.count() == SECTIONS
    assert Tag.objects.count() == TAGS
    assert Contributor.objects.count() == CONTRIBUTORS
    assert Comment.objects.count() == COMMENTS
    assert report.tally["comments skipped: pingback"] == file["comments"][("pingback", "1")]
    assert report.tally["items of type page"] == 21
    assert report.tally["items of type attachment"] == 37
    assert report.tally["items of type nav_menu_item"] == 70
    assert report.created + report.skipped == 186  # every <item> accounted for
    assert ImportRun.objects.get().status == ImportRun.Status.FINISHED


def test_statuses_map_to_the_workflow(theme_file):
    import_wxr(theme_file)
    statuses = Counter(Article.objects.values_list("status", flat=True))
    assert statuses == {"published": 56, "draft": 1, "unpublished": 1}
    assert by_post_id(1164).status == Article.Status.DRAFT
    scheduled = by_post_id(1153)
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == datetime(2030, 1, 1, 19, 0, 18, tzinfo=UTC)  # its _gmt date
    assert not scheduled.is_visible  # scheduled: visible when the clock reaches it
    # A password-protected post is never shown: Jarida has no per-article passwords.
    assert by_post_id(1168).status == Article.Status.UNPUBLISHED
    assert Article.objects.published().count() == 55  # 56 published, one of them due in 2030


def test_entities_markup_and_unicode_survive(theme_file):
    import_wxr(theme_file)
    assert by_post_id(1174).title == (
        "Markup: Title With Special Characters ~`!@#$%^&*()-_=+{}[]/\\;:'\"?,.>"
    )
    assert by_post_id(1173).title == "Markup: Title With Markup"
    assert by_post_id(1175).title.startswith("Taumatawhakatangihangakoauauotamateaturipukakapiki")
    assert by_post_id(1169).title == "(بلا عنوان)"
    formatting = by_post_id(1178).body
    assert "<code>&lt;blockquote&gt;</code>" in formatting or "&lt;blockquote&gt;" in formatting
    assert Article.objects.filter(body__contains='Query loop "Title &amp; Date"').exists()
    assert Tag.objects.filter(name="content περιεχόμενο").exists()
    assert Comment.objects.filter(name="John Γιάννης Doe Κάποιος").exists()


def test_nested_comments_keep_their_thread(theme_file):
    import_wxr(theme_file)
    thread = by_post_id(1148).comments
    top = thread.get(text="Comment Depth 01")
    assert top.parent is None
    deepest = thread.get(text__startswith="Comment Depth 10")
    assert deepest.parent == top  # one level of replies, as the comments app shows them
    assert top.replies.count() == 9
    assert thread.filter(status=Comment.Status.PENDING).count() == 1
    long_one = thread.get(name="John Γιάννης Doe Κάποιος")
    assert len(long_one.text) <= 255 and long_one.text.endswith("[…]")
    written = thread.get(text="Comments? I love comments!").created_at
    assert written == datetime(2013, 3, 12, 20, 17, 35, tzinfo=UTC)  # its comment_date_gmt


def test_old_permalinks_redirect_to_the_article(theme_file, client):
    import_wxr(theme_file)
    article = by_post_id(1148)
    for old in ["/2012/01/03/template-comments/", "/2012/01/03/template-comments", "/?p=1148"]:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200
    slug_based = client.get("/wp-6-1-font-size-scale/")
    assert slug_based.status_code == 301
    assert slug_based["Location"] == by_post_id(163).get_absolute_url()
    # Links to posts readers may not see stay 404 (the new address would leak the title).
    assert client.get("/2020/01/01/scheduled/").status_code == 404
    assert client.get("/?p=1164").status_code == 200  # the home page, no redirect
    assert LegacyPermalink.objects.filter(article=article).count() == 2


def test_second_run_changes_nothing(theme_file):
    import_wxr(theme_file)
    before = fingerprint()
    report = import_wxr(theme_file)
    assert (report.created, report.updated, report.failed) == (0, 0, 0)
    assert report.skipped == 186
    assert fingerprint() == before


def fingerprint() -> tuple:
    return (
        sorted(Article.objects.values_list("external_id", "title", "status", "section__slug")),
        Tag.objects.count(),
        Contributor.objects.count(),
        sorted(Comment.objects.values_list("article__external_id", "text", "status")),
        sorted(LegacyPermalink.objects.values_list("path", "article__external_id")),
    )


def test_killed_half_way_then_rerun_ends_as_one_clean_run(theme_file, monkeypatch):
    real = WxrImporter.import_comments
    calls = {"n": 0}

    def killed_at_the_20th_post(self, article, post):
        calls["n"] += 1
        if calls["n"] == 20:
            raise KeyboardInterrupt  # mid-post: after its article row, before its comments
        return real(self, article, post)

    monkeypatch.setattr(WxrImporter, "import_comments", killed_at_the_20th_post)
    with pytest.raises(KeyboardInterrupt):
        import_wxr(theme_file)
    assert Article.objects.count() == 19  # the 20th post's transaction was rolled back
    assert ImportRun.objects.get().status == ImportRun.Status.INTERRUPTED

    monkeypatch.setattr(WxrImporter, "import_comments", real)
    report = import_wxr(theme_file)

    assert (report.created, report.failed) == (POSTS - 19, 0)
    assert Article.objects.count() == POSTS
    assert Article.objects.values("external_id").distinct().count() == POSTS
    assert (Section.objects.count(), Tag.objects.count()) == (SECTIONS, TAGS)
    assert (Contributor.objects.count(), Comment.objects.count()) == (CONTRIBUTORS, COMMENTS)
    assert ImportRun.objects.order_by("started_at").last().status == ImportRun.Status.FINISHED
