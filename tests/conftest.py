"""Shared fixtures: the seed article from ../shared, cache isolation, service checks."""

import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from jarida.articles import services
from jarida.articles.models import Agency, Article, Byline, Section
from jarida.core.models import SiteSettings
from jarida.paths import BASE_DIR

SHARED_DIR = Path(os.environ.get("JARIDA_SHARED_DIR", BASE_DIR.parent / "shared"))
SEED_JSON = SHARED_DIR / "fixtures" / "seed-article.json"
SEED_PAGE = SHARED_DIR / "fixtures" / "seed-article-page.txt"


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


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
    return services.save_article(article, bylines=bylines)


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
        return services.save_article(article, bylines=bylines, tags=tags)

    return make


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


__all__ = ["Byline", "is_postgres"]
