"""CPU time per reader page in one process, beside a bare Django view of the same article.

    .venv/bin/python benchmarks/page_cpu.py                  # demo paper, SQLite, 300 requests
    .venv/bin/python benchmarks/page_cpu.py --extra 3000     # + 3,000 saudinewsnet articles
    .venv/bin/python benchmarks/page_cpu.py --profile home  # cProfile of one page

On PostgreSQL, an archive built by benchmarks/listing_plans.py --only-fill (issue 13's
growth target: the same pages at 30,000 and 300,000 articles, latency grows <= 20%):

    .venv/bin/python benchmarks/page_cpu.py --reuse --json 30k.json \
        --database-url postgres://postgres@127.0.0.1:5432/jarida_30k
    .venv/bin/python benchmarks/page_cpu.py --reuse --json 300k.json \
        --database-url postgres://postgres@127.0.0.1:5432/jarida_300k
    .venv/bin/python benchmarks/page_cpu.py --compare 30k.json 300k.json

`--compare SMALL... vs LARGE...` (or two files) prints each page's growth in wall time
(what a reader waits for: on PostgreSQL the queries run in the server, outside this
process's CPU time) and in CPU time, with the verdict; several files a side keep each
page's best, so alternate the runs (30k, 300k, 30k, 300k) to share the machine's load.

Builds a throwaway site (its own data directory: SQLite, file caches, the demo paper;
`--extra N` adds N real articles from ../shared/data/saudinewsnet when present), turns the
page cache off (JARIDA_PAGE_CACHE_SECONDS=0), and calls the WSGI application directly (no
server, no test client: its template instrumentation would be measured too). CPU time
(time.process_time) is what the machine's load does not move; wall time is printed beside it.

The reference, measured in the same run: a bare Django view that loads the same article in
one query and renders it with a small template, behind the middleware of a new Django project
(the floor the anchors in ../shared/bench/anchors measure). Targets (issue 13): the article
page costs <= 1.25x the bare view (>= 0.8x its speed), home and section <= 2x the article,
search <= 15 ms.
"""

import argparse
import functools
import gzip
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAUDI = Path(os.environ.get("JARIDA_SHARED_DIR", ROOT.parent / "shared")) / "data/saudinewsnet"

#: The anchor project's middleware (../shared/bench/anchors/django: `startproject`'s list).
BARE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

BARE_TEMPLATE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{{ article.title }}</title>
<meta name="description" content="{{ article.summary|truncatewords:30 }}">
<link rel="canonical" href="{{ request.build_absolute_uri }}">
<meta property="og:title" content="{{ article.title }}">
<meta property="article:published_time" content="{{ article.published_at|date:'c' }}">
<meta property="article:section" content="{{ article.section.name }}">
</head><body>
<header><a href="/">{{ article.section.name }}</a></header>
<main><article><h1>{{ article.title }}</h1>
<div class="meta">نشر في: <time datetime="{{ article.published_at|date:'c' }}">
{{ article.published_at|date:"j F, Y: h:i A" }}</time></div>
<div class="entry">{{ article.body|safe }}</div>
</article>
<section class="comments">
{% for c in comments %}<p>{{ c.name }}: {{ c.text }}</p>{% endfor %}
<form method="post"><textarea name="body"></textarea><button>أرسل</button></form></section>
</main></body></html>"""


def bare_article(request, pk):
    """The floor: one query for the article (section joined) and one for its comments."""
    from django.http import HttpResponse
    from django.shortcuts import get_object_or_404

    from jarida.articles.models import Article

    article = get_object_or_404(Article.objects.select_related("section"), pk=pk)
    comments = list(article.comments.filter(status="published").order_by("created_at"))
    return HttpResponse(
        _bare_template().render({"article": article, "comments": comments}, request)
    )


@functools.cache
def _bare_template():
    """Compiled once, as the cached template loader keeps a file template."""
    from django.template import engines

    return engines["django"].from_string(BARE_TEMPLATE)


# The benchmark's URLconf: the site's, plus the bare view.
urlpatterns: list = []


def configure(data_dir: Path, database_url: str | None = None) -> None:
    os.environ["JARIDA_DATA_DIR"] = str(data_dir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["JARIDA_PAGE_CACHE_SECONDS"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jarida.settings"
    os.environ.setdefault("JARIDA_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.urls import include, path

    urlpatterns[:] = [
        path("_bare/<int:pk>/", bare_article),
        path("", include("jarida.urls")),
    ]
    settings.ROOT_URLCONF = __name__


def build_site(extra: int, reuse: bool = False) -> None:
    """Migrate and collect the static files; the demo paper (and `extra`) unless `reuse`
    (an archive built before, e.g. by listing_plans.py: only its schema follows the code)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if reuse:
        return
    call_command("load_demo", verbosity=0)
    if extra:
        add_saudinewsnet(extra)
    # What the demo's saves queued (search indexing, related stories), run as `make run`'s
    # worker would: without it the search page measured was the one with no results.
    call_command("task_worker", "--batch", "--no-schedule", verbosity=0)


def add_saudinewsnet(count: int) -> None:
    """`count` real articles, published, bulk inserted (no search index: they pad listings)."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from jarida.articles.models import Article, Section

    path = SAUDI / "articles.ndjson.gz"
    if not path.exists():
        print(f"{path} is absent: no extra articles")
        return
    sections = list(Section.objects.all())
    start = timezone.now() - timedelta(days=3650)
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n >= count:
                break
            item = json.loads(line)
            text = item.get("content") or item.get("body") or ""
            paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
            rows.append(
                Article(
                    title=(item.get("title") or "خبر")[:300],
                    slug=f"saudi-{n}",
                    body=paragraphs,
                    section=sections[n % len(sections)],
                    status=Article.Status.PUBLISHED,
                    published_at=start + timedelta(minutes=n),
                    external_id=f"bench:saudi:{n}",
                )
            )
    Article.objects.bulk_create(rows, batch_size=500)
    del datetime


def wsgi_get(handler, path: str) -> tuple[int, int]:
    """One GET through the WSGI application: (status, body bytes)."""
    path, _, query = path.partition("?")
    path = unquote(path)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "identity",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    status = []
    body = handler(environ, lambda s, headers, exc_info=None: status.append(s))
    size = sum(len(chunk) for chunk in body)
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0]), size


def check(handler, path: str) -> int:
    """Warm the page up; its size (it must answer 200)."""
    for _ in range(3):
        status, size = wsgi_get(handler, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return size


def measure(handler, path: str, n: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per request over n requests."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        wsgi_get(handler, path)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / n, wall * 1000 / n


def by_share(counts: dict[str, int], full: int) -> tuple[str, str]:
    """(typical, smallest): the median of these {slug: published stories} and the one with
    the fewest that still fills a page (`full`; ties: the first slug), for the writer and
    tag pages. A smaller one would print fewer cards on the small archive than on the
    large one, and the comparison would measure the cards."""
    ranked = sorted(counts, key=lambda slug: (counts[slug], slug))
    filled = [slug for slug in ranked if counts[slug] >= full] or ranked
    return ranked[len(ranked) // 2], filled[0]


def archive_pick(model, relation: str) -> dict[str, int]:
    """{slug: published stories} of every writer or tag with at least one."""
    from django.db.models import Count

    from jarida.articles.models import is_public

    rows = (
        model.objects.annotate(n=Count(relation, filter=is_public(f"{relation}__")))
        .filter(n__gt=0)
        .values_list("slug", "n")
    )
    return dict(rows)


def pages(deep_page: int = 100, archives: dict[str, str] | None = None) -> dict[str, str]:
    """The pages measured; `archives` ({"writer-min": "/writers/…/", …}) names the writer
    and tag pages instead of choosing them (`--growth`: the large side measures the small
    side's choices)."""
    from jarida.accounts.models import Contributor
    from jarida.articles.models import Article, Tag
    from jarida.reader.views import ARCHIVE_PAGE_SIZE

    article = Article.objects.published().newest_first().select_related("section").first()
    found = {
        "bare": f"/_bare/{article.pk}/",
        # The same bare view behind Jarida's own middleware: what the stack costs.
        "bare+stack": f"/_bare/{article.pk}/",
        "article": article.get_absolute_url(),
        "home": "/",
        "section": article.section.get_absolute_url(),
    }
    in_section = Article.objects.published().in_section(article.section).count()
    if in_section > (deep_page - 1) * ARCHIVE_PAGE_SIZE:
        found["section-deep"] = f"{found['section']}?page={deep_page}"
    published = Article.objects.published().count()
    # A writer and a tag of typical size (the median) and the one with the smallest share
    # of the archive: the newest-first walk for their first page is longest there.
    for name, model, relation in (("writer", Contributor, "bylines__article"),
                                  ("tag", Tag, "articles")):  # fmt: skip
        if archives:
            found |= {k: v for k, v in archives.items() if k.startswith(name)}
            continue
        counts = archive_pick(model, relation)
        if not counts:
            continue
        typical, smallest = by_share(counts, ARCHIVE_PAGE_SIZE)
        for label, slug in ((name, typical), (f"{name}-min", smallest)):
            found[label] = model(slug=slug).get_absolute_url()
            share = counts[slug] / published
            print(f"{label}: {slug}, {counts[slug]:,} stories (1 in {1 / share:,.0f})")
    found |= {
        "search": "/search/?q=" + quote("العراق"),
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap-sec": "/sitemaps/articles.xml",
        "sitemap-wr": "/sitemaps/writers.xml",
        "api-list": "/api/v1/articles",
    }
    return found


def handlers():
    """Jarida's own WSGI application, and one with the bare project's middleware."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    site = WSGIHandler()
    with override_settings(MIDDLEWARE=BARE_MIDDLEWARE):
        bare = WSGIHandler()
    return site, bare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--requests", type=int, default=60, help="per page and round")
    parser.add_argument("-r", "--rounds", type=int, default=5, help="the best round counts")
    parser.add_argument("--extra", type=int, default=0, help="saudinewsnet articles to add")
    parser.add_argument("--data-dir", help="reuse a site built by an earlier run")
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page (e.g. article)")
    parser.add_argument("--pages", nargs="*", help="only these pages (bare is always measured)")
    parser.add_argument("--callers", nargs="*", help="with --profile: who calls these")
    parser.add_argument("--database-url", help="a database of your own (PostgreSQL)")
    parser.add_argument("--reuse", action="store_true", help="the database is built: no demo")
    parser.add_argument("--deep-page", type=int, default=100, help="section page measured")
    parser.add_argument("--json", metavar="FILE", help="write the figures there")
    parser.add_argument("--compare", nargs="+", metavar="FILE", help="SMALL... [vs] LARGE...")
    parser.add_argument(
        "--explain", action="store_true", help="each page's queries' time in the server"
    )
    parser.add_argument("--growth", nargs=2, metavar="URL", help="SMALL and LARGE side by side")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--archives", type=json.loads, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        return compare(args.compare)
    if args.growth:
        return growth(args)

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="jarida-page-cpu-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (data_dir / "jarida.sqlite3").exists() or not (data_dir / "static").exists()
    configure(data_dir, args.database_url)
    if fresh or args.database_url:
        build_site(args.extra, reuse=args.reuse)
    site, bare = handlers()
    urls = pages(args.deep_page, args.archives)

    if args.explain:
        return explain_pages(site, urls)
    if args.worker:
        return serve_measures(site, bare, urls, args.requests)

    if args.profile:
        import cProfile
        import pstats

        path = urls.get(args.profile, args.profile)
        handler = bare if args.profile == "bare" else site
        check(handler, path)
        with cProfile.Profile() as profiler:
            for _ in range(args.requests):
                wsgi_get(handler, path)
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        for name in args.callers or ():
            stats.print_callers(name)
        return 0

    from django.db import connection

    from jarida.articles.models import Article

    articles = Article.objects.count()
    print(
        f"data: {articles} articles, {connection.vendor}, page cache off, best of "
        f"{args.rounds} rounds of {args.requests} requests per page, data dir {data_dir}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if args.pages:
        urls = {
            k: v for k, v in urls.items() if k in {"bare", "bare+stack", "article", *args.pages}
        }
    sizes = {name: check(bare if name == "bare" else site, path) for name, path in urls.items()}
    # Pages take turns, round after round; each keeps its best round (the one other
    # processes on the machine disturbed least: CPU time too grows with their load).
    rounds: dict[str, list] = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, path in urls.items():
            rounds[name].append(measure(bare if name == "bare" else site, path, args.requests))
    results = {name: (*min(done), sizes[name]) for name, done in rounds.items()}
    floor = results["bare"][0]
    article = results["article"][0]
    print(f"{'page':12}{'CPU ms':>9}{'wall ms':>9}{'KB':>8}{'/bare':>8}{'/article':>9}  path")
    for name, (cpu, wall, size) in results.items():
        print(
            f"{name:12}{cpu:9.2f}{wall:9.2f}{size / 1024:8.1f}{cpu / floor:8.2f}"
            f"{cpu / article:9.2f}  {unquote(urls[name])[:40]}"
        )
    checks = [("article speed >= 0.8x bare view", floor / article, floor / article >= 0.8)]
    for name in ("home", "section"):
        if name in results:
            ratio = results[name][0] / article
            checks.append((f"{name} <= 2x article", ratio, ratio <= 2))
    if "search" in results:
        checks.append(("search <= 15 ms CPU", results["search"][0], results["search"][0] <= 15))
    for label, value, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {label}: {value:.2f}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        figures = {name: {"cpu": cpu, "wall": wall, "bytes": size, "path": unquote(urls[name])}
                   for name, (cpu, wall, size) in results.items()}  # fmt: skip
        meta = {"articles": articles, "vendor": connection.vendor, "load": os.getloadavg()}
        Path(args.json).write_text(json.dumps({"meta": meta, "pages": figures}, indent=1))
    return 0


def explain_pages(site, urls: dict[str, str]) -> int:
    """Each page's queries, run again under EXPLAIN ANALYZE: their count, their time in the
    database server (what the machine's load moves least) and the slowest one's plan top."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"{'page':13}{'queries':>8}{'server ms':>11}{'slowest':>9}  slowest query")
    for name, path in urls.items():
        if name.startswith("bare"):
            continue
        check(site, path)
        with CaptureQueriesContext(connection) as captured:
            wsgi_get(site, path)
        timed = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                (plan,) = cursor.fetchone()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            timed.append((plan[0]["Execution Time"], plan[0]["Plan"]["Node Type"], sql))
        total = sum(t for t, _, _ in timed)
        worst = max(timed, default=(0, "", ""))
        print(
            f"{name:13}{len(captured.captured_queries):8}{total:11.2f}{worst[0]:9.2f}"
            f"  {worst[1]}: {' '.join(worst[2].split())[:90]}"
        )
    return 0


def serve_measures(site, bare, urls: dict[str, str], n: int) -> int:
    """`--growth`'s worker: announce the pages, then measure the one named on each line."""
    from jarida.articles.models import Article

    for name, path in urls.items():
        check(bare if name == "bare" else site, path)
    print(json.dumps({"articles": Article.objects.count(), "paths": urls}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        cpu, wall = measure(bare if name == "bare" else site, urls[name], n)
        print(json.dumps([cpu, wall]), flush=True)
    return 0


def growth(args) -> int:
    """The same pages on a small and a large archive, measured side by side: two worker
    processes, one per database, take turns page by page and round by round, so both see
    the same load on the machine (runs minutes apart differed by 40% on the bare view)."""
    import subprocess

    workers, heads = [], []
    for n, url in enumerate(args.growth):
        data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="jarida-growth-")) / str(n)
        command = [sys.executable, __file__, "--worker", "--reuse", "--database-url", url]
        command += ["--data-dir", str(data_dir), "--deep-page", str(args.deep_page)]
        command += ["-n", str(args.requests)]
        if heads:  # the same writers and tags as the small archive's
            chosen = {k: v for k, v in heads[0]["paths"].items() if k.startswith(("writer", "tag"))}
            command += ["--archives", json.dumps(chosen)]
        workers.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1))  # fmt: skip
        heads.append(json.loads(_last_line(workers[-1].stdout)))
    names = [name for name in heads[0]["paths"] if name in heads[1]["paths"]]
    best = [{} for _ in workers]
    loads = [os.getloadavg()[0]]
    for turn in range(args.rounds):
        for name in names:
            # Alternate who goes first: neither side always follows the other's work.
            for side in (0, 1) if turn % 2 == 0 else (1, 0):
                workers[side].stdin.write(name + "\n")
                got = json.loads(workers[side].stdout.readline())
                mine = best[side].setdefault(name, got)
                best[side][name] = [min(mine[0], got[0]), min(mine[1], got[1])]
        loads.append(os.getloadavg()[0])
    for worker in workers:
        worker.stdin.close()
        worker.wait()
    runs = [
        {"meta": {"articles": head["articles"], "load": loads},
         "pages": {name: {"cpu": b[name][0], "wall": b[name][1], "path": head["paths"][name]}
                   for name in names}}
        for head, b in zip(heads, best, strict=True)
    ]  # fmt: skip
    print(f"side by side, best of {args.rounds} rounds of {args.requests} requests, load "
          f"average {min(loads):.1f}-{max(loads):.1f}")  # fmt: skip
    for label, run in zip(("small", "large"), runs, strict=True):
        print(f"{label}: {run['meta']['articles']:,} articles")
        if args.json:
            Path(f"{args.json}.{label}.json").write_text(json.dumps(run, indent=1))
    return report_growth(runs[0]["pages"], runs[1]["pages"])


def _last_line(stream) -> str:
    """The worker's announcement, past what it printed while choosing its pages."""
    while not (line := stream.readline()).startswith("{"):
        if not line:
            raise SystemExit("a worker stopped before measuring (see its errors above)")
        print(line, end="")
    return line


#: Issue 13: the same pages with 30,000 and 300,000 articles, latency grows <= 20%.
GROWTH_LIMIT = 0.20


def compare(files: list[str]) -> int:
    """Growth per page between runs on a small and a large archive (best figure a side)."""
    if "vs" in files:
        cut = files.index("vs")
        small, large = files[:cut], files[cut + 1 :]
    elif len(files) == 2:
        small, large = files[:1], files[1:]
    else:
        raise SystemExit("--compare SMALL.json LARGE.json, or SMALL... vs LARGE...")
    sides = []
    for side in (small, large):
        runs = [json.loads(Path(f).read_text()) for f in side]
        best = {}
        for run in runs:
            for name, got in run["pages"].items():
                mine = best.setdefault(name, dict(got))
                mine["cpu"], mine["wall"] = (
                    min(mine["cpu"], got["cpu"]),
                    min(mine["wall"], got["wall"]),
                )
        loads = ", ".join(f"{run['meta']['load'][0]:.1f}" for run in runs)
        sides.append((runs[0]["meta"]["articles"], best, loads))
    (n_small, small_pages, small_loads), (n_large, large_pages, large_loads) = sides
    print(f"{n_small:,} articles (load {small_loads}) -> {n_large:,} (load {large_loads})")
    return report_growth(small_pages, large_pages)


def report_growth(small: dict, large: dict) -> int:
    """Each page's growth, wall and CPU, and beside the bare view's own (which does the
    same work on both archives, so its growth is the machine's, not the page's)."""
    base = {key: large["bare"][key] / small["bare"][key] for key in ("wall", "cpu")}
    print(f"{'page':13}{'wall ms':>9}{'wall ms':>9}{'growth':>8}{'CPU ms':>8}{'CPU ms':>8}"
          f"{'growth':>8}{'/bare':>8}  verdict (wall <= +{GROWTH_LIMIT:.0%})")  # fmt: skip
    missed = []
    for name, before in small.items():
        after = large.get(name)
        if after is None:
            continue
        wall = after["wall"] / before["wall"] - 1
        cpu = after["cpu"] / before["cpu"] - 1
        relative = (wall + 1) / base["wall"] - 1
        ok = wall <= GROWTH_LIMIT
        missed += [] if ok else [name]
        print(
            f"{name:13}{before['wall']:9.2f}{after['wall']:9.2f}{wall:+8.0%}"
            f"{before['cpu']:8.2f}{after['cpu']:8.2f}{cpu:+8.0%}{relative:+8.0%}"
            f"  {'ok' if ok else 'MISS'}"
        )
    print("all pages within the limit" if not missed else f"over the limit: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
