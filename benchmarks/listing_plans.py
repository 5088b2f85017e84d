"""PostgreSQL's plans for the reader's listing queries on a large archive.

    createdb -h 127.0.0.1 -U postgres jarida_perf
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jarida_perf \\
      .venv/bin/python benchmarks/listing_plans.py --articles 300000

Fills the database named by DATABASE_URL (never SQLite: these are PostgreSQL's plans) up to
`--articles` synthetic articles made from ../shared/data/saudinewsnet (its 29,549 real texts
reused with shifted dates, bulk inserted; 12 sections, 400 writers, 1,500 tags), then prints
EXPLAIN (ANALYZE, BUFFERS) for the queries the reader pages, feeds, sitemaps and the API run
(taken from the querysets themselves), with the time of each and whether it reads an index
or scans the table. A query that sorts or scans the whole archive is flagged.
"""

import argparse
import gzip
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAUDI = Path(os.environ.get("JARIDA_SHARED_DIR", ROOT.parent / "shared")) / "data/saudinewsnet"
BATCH = 2_000
#: Articles made one by one through the ORM (cleaned, excerpts worked out); the rest of the
#: archive is copies of them made inside PostgreSQL, each copy a year further on.
BASE = 30_000
SECTIONS = 12
WRITERS = 400
TAGS = 1_500


def setup() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of your own (see --help).")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("JARIDA_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jarida.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def texts():
    """The corpus's (title, paragraphs) over and over."""
    path = SAUDI / "articles.ndjson.gz"
    if not path.exists():
        raise SystemExit(f"{path} is absent: nothing to build the archive from")
    while True:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                paragraphs = [p.strip() for p in item["content"].split("\n") if p.strip()]
                yield item["title"], paragraphs or [item["title"]]


def fill(target: int) -> None:
    """Bulk insert BASE articles with bylines and tags, then copy them up to `target`."""
    fill_base(min(target, BASE))
    copy_up_to(target)


COLUMNS = (
    "title, slug, kicker, summary, body, dateline, source_url, status, created_at, updated_at,"
    " featured_image_id, source_agency_id, section_id, comments_open, created_by_id, version,"
    " excerpt_text, sponsored"
)


def copy_up_to(target: int) -> None:
    """Copies of the base articles, their bylines and tags, in SQL (seconds, not minutes)."""
    from django.db import connection, transaction

    from jarida.articles.models import Article

    with connection.cursor() as cursor:
        copy = 1
        while (have := Article.objects.count()) < target:
            wanted = min(target - have, BASE)
            with transaction.atomic():
                cursor.execute(
                    f"""INSERT INTO articles_article ({COLUMNS}, external_id, published_at)
                    SELECT {COLUMNS}, external_id || ':' || %s,
                           published_at + make_interval(days => 365 * %s)
                    FROM articles_article WHERE external_id ~ '^bench:[0-9]+$'
                    AND NOT EXISTS (SELECT 1 FROM articles_article c
                                    WHERE c.external_id = articles_article.external_id || ':' || %s)
                    ORDER BY id LIMIT %s""",
                    [copy, copy, copy, wanted],
                )
                cursor.execute(
                    """INSERT INTO articles_byline (article_id, contributor_id, role, position)
                    SELECT c.id, b.contributor_id, b.role, b.position
                    FROM articles_article c
                    JOIN articles_article o ON c.external_id = o.external_id || ':' || %s
                    JOIN articles_byline b ON b.article_id = o.id""",
                    [copy],
                )
                cursor.execute(
                    """INSERT INTO articles_article_tags (article_id, tag_id)
                    SELECT c.id, t.tag_id
                    FROM articles_article c
                    JOIN articles_article o ON c.external_id = o.external_id || ':' || %s
                    JOIN articles_article_tags t ON t.article_id = o.id""",
                    [copy],
                )
                # The writers' and tags' archive entries (jarida/articles/listings.py),
                # which bulk copies bypass: the copies' own status and date.
                for entries, key, source in (
                    ("articles_writerentry", "contributor_id", "articles_byline"),
                    ("articles_tagentry", "tag_id", "articles_article_tags"),
                ):
                    cursor.execute(
                        f"""INSERT INTO {entries} (article_id, {key}, status, published_at)
                        SELECT DISTINCT c.id, s.{key}, c.status, c.published_at
                        FROM articles_article c
                        JOIN articles_article o ON c.external_id = o.external_id || ':' || %s
                        JOIN {source} s ON s.article_id = o.id""",
                        [copy],
                    )
            print(f"{Article.objects.count():,} articles (copy {copy})", flush=True)
            copy += 1
        cursor.execute("VACUUM ANALYZE articles_article")
        cursor.execute("VACUUM ANALYZE articles_byline")
        cursor.execute("VACUUM ANALYZE articles_article_tags")
        cursor.execute("VACUUM ANALYZE articles_writerentry")
        cursor.execute("VACUUM ANALYZE articles_tagentry")


def fill_base(target: int) -> None:
    """Bulk insert articles, bylines and tags until the archive holds `target` articles."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.html import escape

    from jarida.accounts.models import Contributor
    from jarida.articles import listings
    from jarida.articles.models import Article, Byline, Section, Tag

    have = Article.objects.count()
    if have >= target:
        return
    sections = list(Section.objects.order_by("pk"))
    for n in range(len(sections), SECTIONS):
        sections.append(Section.objects.create(name=f"قسم {n}", slug=f"bench-{n}", position=n))
    writers = list(Contributor.objects.order_by("pk")[:WRITERS])
    for n in range(len(writers), WRITERS):
        writers.append(Contributor.objects.create(name=f"كاتب {n}", slug=f"bench-writer-{n}"))
    tags = list(Tag.objects.order_by("pk")[:TAGS])
    for n in range(len(tags), TAGS):
        tags.append(Tag.objects.create(name=f"وسم {n}", slug=f"bench-tag-{n}"))
    through = Article.tags.through
    rng = random.Random(have)
    start = timezone.now() - timedelta(days=3650)  # copies add a year each
    step = timedelta(days=365) / target
    corpus = texts()
    started = time.perf_counter()
    while have < target:
        rows = []
        for n in range(have, min(have + BATCH, target)):
            title, paragraphs = next(corpus)
            # Most stories published; some drafts and in review; a few scheduled ahead.
            roll = rng.random()
            status = Article.Status.PUBLISHED if roll < 0.9 else Article.Status.DRAFT
            when = start + step * n
            if roll > 0.998:
                when = timezone.now() + timedelta(days=rng.randint(1, 30))
                status = Article.Status.PUBLISHED
            rows.append(
                Article(
                    title=title[:300],
                    slug=f"b{n}",
                    summary=paragraphs[0][:400] if rng.random() < 0.5 else "",
                    body="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
                    section=sections[n % len(sections)],
                    status=status,
                    published_at=when if status == Article.Status.PUBLISHED else None,
                    external_id=f"bench:{n}",
                )
            )
        with transaction.atomic():
            Article.objects.bulk_create(rows)
            Byline.objects.bulk_create(
                Byline(article=a, contributor=rng.choice(writers), position=0) for a in rows
            )
            through.objects.bulk_create(
                through(article_id=a.pk, tag_id=tag.pk)
                for a in rows
                for tag in rng.sample(tags, rng.randint(0, 3))
            )
            listings.sync(a.pk for a in rows)  # what save_articles_in_bulk does
        have += len(rows)
        print(f"\r{have:,} articles ({time.perf_counter() - started:.0f} s)", end="", flush=True)
    print()


def queries() -> dict:
    """What the pages run, as the views build it: {name: a callable that runs it}."""
    from django.db.models import Count

    from jarida.accounts.models import Contributor
    from jarida.articles.models import Article, Byline, Tag, TagEntry, WriterEntry
    from jarida.articles.navigation import menu_sections
    from jarida.articles.paging import ArchivePaginator
    from jarida.feeds.sitemaps import ArticleSitemap, ContributorSitemap, SectionSitemap
    from jarida.reader import views

    published = Article.objects.published().for_cards()
    section = menu_sections()[0]
    # The busiest writer and tag (the most stories to count) and the ones with the smallest
    # share of the archive (the longest walk before the archive had an index of its own).
    writers = Contributor.objects.annotate(n=Count("bylines")).filter(n__gt=0)
    writer, rare_writer = writers.order_by("-n", "pk").first(), writers.order_by("n", "pk").first()
    tags = Tag.objects.annotate(n=Count("articles")).filter(n__gt=0)
    tag, rare_tag = tags.order_by("-n", "pk").first(), tags.order_by("n", "pk").first()
    size = views.ARCHIVE_PAGE_SIZE
    deep = 500  # page 500 of a section: 10,000 stories back

    def archive(queryset, number, counted=None):
        pages = ArchivePaginator(queryset.newest_first(), size, counted=counted)
        return lambda: list(pages.page(number))

    def offset(queryset, number):
        return lambda: list(queryset.newest_first()[(number - 1) * size : number * size])

    in_section = published.in_section(section)

    def tagged(tag):
        return TagEntry.objects.public().filter(tag=tag)

    def credited(contributor):
        return WriterEntry.objects.public().filter(contributor=contributor)

    sitemap = ArticleSitemap()
    last = sitemap.paginator.num_pages
    return {
        "home latest": lambda: list(published.newest_first()[: views.HOME_LATEST]),
        "home per section": lambda: list(
            published.newest_per_section(menu_sections(), views.HOME_PER_SECTION)
        ),
        "section page 1": archive(in_section, 1),
        f"section page {deep}": archive(in_section, deep),
        f"section page {deep} by OFFSET": offset(in_section, deep),
        # As the views count them: the public entries alone.
        "tag page 1": archive(published.tagged(tag), 1, tagged(tag)),
        "tag page 1, smallest": archive(published.tagged(rare_tag), 1, tagged(rare_tag)),
        "tag page 10": archive(published.tagged(tag), 10, tagged(tag)),
        "writer page 1": archive(published.by_contributor(writer), 1, credited(writer)),
        "writer page 1, smallest": archive(
            published.by_contributor(rare_writer), 1, credited(rare_writer)
        ),
        "writer page 10": archive(published.by_contributor(writer), 10, credited(writer)),
        "bylines of a page": lambda: list(Byline.objects.filter(article_id__in=range(1, size))),
        "feed (site)": lambda: list(Article.objects.published().for_page().newest_first()[:30]),
        "sitemap page 2": lambda: list(sitemap.paginator.page(2)),
        f"sitemap page {last}": lambda: list(sitemap.paginator.page(last)),
        "next scheduled": lambda: Article.objects.scheduled().order_by("published_at").first(),
        "sitemap lastmod": sitemap.get_latest_lastmod,
        "sitemap sections": lambda: list(SectionSitemap().items()),
        "sitemap writers": lambda: list(ContributorSitemap().items()),
    }


def _nodes(node: dict) -> list[dict]:
    """A plan's nodes, depth first."""
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


def explain(name: str, run) -> list:
    """Run the page's queries, then EXPLAIN ANALYZE each one; [(name, ms, plan kind)]."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    for n, query in enumerate(captured.captured_queries, start=1):
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = "\n".join(row[0] for row in cursor.fetchall())
        nodes = _nodes(plan[0]["Plan"])
        big = [x.get("Relation Name") for x in nodes if x.get("Actual Rows", 0) > 5000]
        seq = [x["Relation Name"] for x in nodes if x["Node Type"] == "Seq Scan"]
        sort = any(x["Node Type"] in ("Sort", "Incremental Sort") for x in nodes)
        kinds = sorted({x["Node Type"] for x in nodes if "Scan" in x["Node Type"]})
        flag = ", ".join(kinds) + (" + sort" if sort else "")
        if seq or big:
            flag += f"  << reads {', '.join(filter(None, seq + big)) or 'many rows'}"
        label = f"{name} [{n}]" if len(captured.captured_queries) > 1 else name
        print(f"\n=== {label}: {plan[0]['Execution Time']:.2f} ms, {flag}\n{sql[:300]}…\n{text}")
        found.append((label, plan[0]["Execution Time"], flag))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--only-fill", action="store_true")
    args = parser.parse_args()
    setup()
    fill(args.articles)
    if args.only_fill:
        return 0
    from jarida.articles.models import Article

    print(f"archive: {Article.objects.count():,} articles on PostgreSQL")
    summary = [row for name, run in queries().items() for row in explain(name, run)]
    print(f"\n{'query':34}{'ms':>10}  plan")
    for name, total, flag in summary:
        print(f"{name:34}{total:10.2f}  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
