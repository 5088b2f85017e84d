"""CPU time per reader page in one process, beside a bare Django view of the same article.

    .venv/bin/python benchmarks/page_cpu.py                  # demo paper, SQLite, 300 requests
    .venv/bin/python benchmarks/page_cpu.py --extra 3000     # + 3,000 saudinewsnet articles
    .venv/bin/python benchmarks/page_cpu.py --profile home  # cProfile of one page

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


def configure(data_dir: Path) -> None:
    os.environ["JARIDA_DATA_DIR"] = str(data_dir)
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


def build_site(extra: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    if extra:
        add_saudinewsnet(extra)


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


def pages() -> dict[str, str]:
    from jarida.articles.models import Article

    article = Article.objects.published().newest_first().select_related("section").first()
    byline = article.bylines.select_related("contributor").first()
    tag = Article.objects.published().filter(tags__isnull=False).values("tags__slug").first()
    found = {
        "bare": f"/_bare/{article.pk}/",
        # The same bare view behind Jarida's own middleware: what the stack costs.
        "bare+stack": f"/_bare/{article.pk}/",
        "article": article.get_absolute_url(),
        "home": "/",
        "section": article.section.get_absolute_url(),
    }
    if byline:
        found["writer"] = byline.contributor.get_absolute_url()
    if tag:
        found["tag"] = f"/tags/{tag['tags__slug']}/"
    found |= {
        "search": "/search/?q=" + quote("العراق"),
        "feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap-sec": "/sitemaps/articles.xml",
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
    args = parser.parse_args()

    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="jarida-page-cpu-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (data_dir / "jarida.sqlite3").exists()
    configure(data_dir)
    if fresh:
        build_site(args.extra)
    site, bare = handlers()
    urls = pages()

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

    from jarida.articles.models import Article

    print(
        f"data: {Article.objects.count()} articles, SQLite, page cache off, "
        f"best of {args.rounds} rounds of {args.requests} requests per page, data dir {data_dir}"
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
