"""Shared fixtures: the seed article from ../shared, cache isolation, service checks."""

import io
import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from hypothesis import settings as hypothesis_settings

from jarida.articles import services
from jarida.articles.models import Agency, Article, Byline, Section
from jarida.core.models import SiteSettings
from jarida.paths import BASE_DIR
from jarida.tasks.worker import run_queued_tasks

SHARED_DIR = Path(os.environ.get("JARIDA_SHARED_DIR", BASE_DIR.parent / "shared"))
SEED_JSON = SHARED_DIR / "fixtures" / "seed-article.json"
SEED_PAGE = SHARED_DIR / "fixtures" / "seed-article-page.txt"


#: The suite's own calendar: every run happens on this day, whatever the real date, so no
#: test can depend on it; `--clock HH:MM` picks the hour (make test runs at 00:30 and 23:50).
SUITE_DAY = "2026-06-15"
SUITE_HOUR = "12:00"


# Property tests judge results, not speed: hypothesis's default 200 ms deadline per example
# turned a loaded CI machine's slow moment into a failure (speed belongs in benchmarks/).
hypothesis_settings.register_profile("jarida", deadline=None)
hypothesis_settings.load_profile("jarida")


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        metavar="WHEN",
        default=SUITE_HOUR,
        help=(
            f"the moment the run starts at (the clock keeps ticking from there): 'HH:MM' is "
            f"that time on {SUITE_DAY} in the site's time zone, or an ISO date-time such as "
            f"2026-06-30T23:50+03:00. Default {SUITE_HOUR}."
        ),
    )


def session_clock_start(when: str, time_zone: str) -> datetime:
    """The instant `--clock WHEN` starts the suite at (an aware datetime)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(time_zone)
    if len(when) <= 5 and ":" in when:
        when = f"{SUITE_DAY}T{when}"
    moment = datetime.fromisoformat(when)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def pytest_configure(config):
    """Move the clock to the suite's calendar for the whole run (threads included)."""
    import time_machine
    from django.conf import settings

    start = session_clock_start(config.getoption("--clock"), settings.TIME_ZONE)
    config._jarida_clock = time_machine.travel(start, tick=True)
    config._jarida_clock.start()


def pytest_report_header(config):
    return f"clock: the run starts at {datetime.now().astimezone().isoformat(timespec='minutes')}"


def pytest_unconfigure(config):
    if clock := getattr(config, "_jarida_clock", None):
        clock.stop()


def pytest_sessionstart(session):
    """On the scaled-out pass, PostgreSQL and Redis must be really there: fail, never skip."""
    if os.environ.get("JARIDA_REQUIRE_SERVICES"):
        import redis

        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.exit("JARIDA_REQUIRE_SERVICES is set but DATABASE_URL is not PostgreSQL", 3)
        try:
            redis.Redis.from_url(os.environ["REDIS_URL"]).ping()
        except Exception as error:
            pytest.exit(f"Redis at REDIS_URL is not reachable: {error}", 3)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through Playwright, one per test module."""
    # Playwright's sync API keeps an event loop on this thread, which Django mistakes for
    # async code around the test's own (synchronous) database fixtures.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def clear_caches() -> None:
    """Empty every cache alias of this run (on Redis only this run's keys, not the server)."""
    for alias in caches:
        backend = caches[alias]
        if hasattr(backend, "delete_pattern"):  # django-redis: clear() would FLUSHDB
            backend.delete_pattern("*")
        else:
            backend.clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def seed_data():
    """The structured seed page, or a clean skip when ../shared is absent."""
    if not SEED_JSON.exists():
        pytest.skip(f"{SEED_JSON} is absent (../shared is not beside this checkout)")
    return json.loads(SEED_JSON.read_text(encoding="utf-8"))


@pytest.fixture
def seed_page_lines():
    if not SEED_PAGE.exists():
        pytest.skip(f"{SEED_PAGE} is absent (../shared is not beside this checkout)")
    return SEED_PAGE.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def seed_article(db, seed_data):
    """The seed article, created the way an editor's save creates it (services.save_article)."""
    settings = SiteSettings.load()
    settings.site_name = seed_data["site_name"]
    settings.save()
    section = Section.objects.create(
        name=seed_data["section"]["name"], slug=seed_data["section"]["slug"]
    )
    Agency.objects.create(
        name=seed_data["source"]["agency"],
        name_en=seed_data["source"]["agency_en"],
        slug="ap",
        other_spellings="اسوشييتدبرس",
    )
    bylines = [
        services.BylineSpec(services.contributor_named(b["name"]), b["role"])
        for b in seed_data["bylines"]
    ]
    article = Article(
        title=seed_data["title"],
        section=section,
        body="".join(f"<p>{p}</p>" for p in seed_data["body_paragraphs"]),
        source_agency=services.agency_named(seed_data["source"]["agency"]),
        status=Article.Status.PUBLISHED,
        published_at=datetime.fromisoformat(seed_data["published_at"]),
    )
    saved = services.save_article(article, bylines=bylines)
    run_queued_tasks()  # its search indexing, as the worker that `make run` starts does
    return saved


@pytest.fixture
def run_tasks(db):
    """Run the queued background tasks in this process, as a worker would; returns a count.

    The suite runs the backend users run (django-tasks-db): a save enqueues its work in
    the test's transaction, and this runs it with the worker's own claim-and-run code.
    """
    return run_queued_tasks


@pytest.fixture
def make_article(db):
    """Build and save a published article with sensible defaults."""
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        section = (
            fields.pop("section", None)
            or Section.objects.get_or_create(slug="local", defaults={"name": "محليات"})[0]
        )
        bylines = fields.pop("bylines", None)
        tags = fields.pop("tags", None)
        defaults = {
            "title": f"خبر تجريبي رقم {n} عن الكهرباء في البصرة",
            "body": f"<p>نص الخبر رقم {n}.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": datetime.fromisoformat("2026-01-01T10:00:00+03:00"),
        }
        article = Article(section=section, **(defaults | fields))
        saved = services.save_article(article, bylines=bylines, tags=tags)
        run_queued_tasks()  # its search indexing, as a worker would
        return saved

    return make


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


__all__ = ["Byline", "is_postgres"]


#: The clock the `paper` fixture freezes: stories are dated relative to it.
NEWSROOM_NOW = datetime.fromisoformat("2026-03-01T12:00:00+03:00")
#: Words in the title of every article a reader must not see (draft, review, unpublished,
#: scheduled), so a test can look for them in any response body.
HIDDEN_MARK = "مخفي"


@pytest.fixture
def paper(db, make_article):
    """Published stories with bylines, tags and a picture, and one hidden story per state.

    The clock is frozen at NEWSROOM_NOW for the test: published stories are 1, 5 and 60
    hours old (so two fall in a News sitemap's 48 hours); the scheduled one is due in an hour.
    """
    import time_machine
    from django.core.files.base import ContentFile
    from PIL import Image as PILImage

    from jarida.media.models import Image

    with time_machine.travel(NEWSROOM_NOW, tick=False):
        # get_or_create: the seed article (when a test asks for it first) brings سياسية too.
        politics = Section.objects.get_or_create(slug="politics", defaults={"name": "سياسية"})[0]
        economy = Section.objects.create(name="اقتصاد", slug="economy", position=1)
        reporter = services.contributor_named("سلمى الجبوري")
        translator = services.contributor_named("حامد أحمد")
        water = services.tags_named(["المياه"])
        picture = io.BytesIO()
        PILImage.new("RGB", (120, 80), "#2a6f97").save(picture, "JPEG")
        image = Image(alt_text="نهر دجلة عند بغداد", caption="دجلة", credit="تصوير: علي")
        image.file.save("dijla.jpg", ContentFile(picture.getvalue()), save=True)
        both = [
            services.BylineSpec(reporter),
            services.BylineSpec(translator, Byline.Role.TRANSLATOR),
        ]
        hours = timedelta(hours=1)
        published = [
            make_article(
                title="وفد عراقي يفاوض على حصة دجلة",
                summary="بغداد تطلب اتفاقًا مكتوبًا على الإطلاقات المائية.",
                section=politics,
                bylines=both,
                tags=water,
                featured_image=image,
                dateline="بغداد",
                published_at=NEWSROOM_NOW - 1 * hours,
            ),
            make_article(
                title="الدينار يستقر أمام الدولار",
                section=economy,
                bylines=[services.BylineSpec(reporter)],
                published_at=NEWSROOM_NOW - 5 * hours,
            ),
            make_article(
                title="تقرير مترجم عن الجفاف في المنطقة",
                section=politics,
                bylines=[services.BylineSpec(translator, Byline.Role.TRANSLATOR)],
                tags=water,
                published_at=NEWSROOM_NOW - 60 * hours,
            ),
        ]
        hidden = {
            status: make_article(
                title=f"خبر {HIDDEN_MARK} ({status})",
                summary=f"موجز {HIDDEN_MARK}",
                section=politics,
                bylines=both,
                tags=water,
                status=status,
                published_at=None if status == Article.Status.DRAFT else NEWSROOM_NOW - hours,
            )
            for status in (
                Article.Status.DRAFT,
                Article.Status.REVIEW,
                Article.Status.UNPUBLISHED,
            )
        }
        hidden["scheduled"] = make_article(
            title=f"خبر {HIDDEN_MARK} مجدول",
            section=politics,
            bylines=both,
            tags=water,
            published_at=NEWSROOM_NOW + hours,
        )
        yield {
            "sections": [politics, economy],
            "reporter": reporter,
            "translator": translator,
            "tag": water[0],
            "image": image,
            "published": published,
            "hidden": hidden,
        }


@pytest.fixture
def s3_server(monkeypatch):
    """A real S3 protocol server (moto's) on 127.0.0.1, emptied; its endpoint's URL."""
    import socket
    import urllib.request

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets in the process, across servers: start each test empty.
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"))
    yield endpoint
    server.stop()
