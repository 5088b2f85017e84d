"""Load the demo paper written for Jarida: sections, staff, agencies, articles, images.

Idempotent: everything is keyed (section and agency slugs, contributor slugs, article
`external_id = "demo:<key>"`), so a second run updates in place and creates nothing.
"""

import re
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jarida.accounts.services import put_contributor
from jarida.articles import services
from jarida.articles.models import Agency, Article, Section
from jarida.core.models import SiteSettings
from jarida.demo.images import render_demo_image
from jarida.media.models import Image
from jarida.media.services import save_image

CONTENT_DIR = Path(__file__).resolve().parent / "content"
KEY_PREFIX = "demo:"


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def body_html(text: str) -> str:
    """Demo body markup: blank-line paragraphs, `## ` subheadings, `> ` quotations."""
    blocks = []
    for chunk in text.strip().split("\n\n"):
        chunk = " ".join(line.strip() for line in chunk.strip().splitlines())
        if not chunk:
            continue
        if chunk.startswith("## "):
            blocks.append(f"<h2>{escape(chunk[3:].strip())}</h2>")
        elif chunk.startswith("> "):
            blocks.append(f"<blockquote><p>{escape(chunk[2:].strip())}</p></blockquote>")
        else:
            blocks.append(f"<p>{escape(chunk)}</p>")
    return "\n".join(blocks)


def _read(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def load_site(report: LoadReport) -> None:
    site = _read(CONTENT_DIR / "site.toml")
    settings = SiteSettings.load()
    if settings.site_name != site["site_name"]:
        settings.site_name, settings.tagline = site["site_name"], site["tagline"]
        settings.save()
    for position, item in enumerate(site["sections"]):
        _, created = services.put_section(item["slug"], item["name"], position=position)
        (report.created if created else report.updated).append(f"section {item['slug']}")
    for item in site["agencies"]:
        services.put_agency(
            item["slug"],
            item["name"],
            name_en=item["name_en"],
            other_spellings="\n".join(item["other_spellings"]),
        )
    for item in _read(CONTENT_DIR / "contributors.toml")["contributors"]:
        put_contributor(item["slug"], item["name"], bio=item["bio"])


_AGE = re.compile(r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*$")


def parse_age(text: str) -> timedelta:
    """A story's age as the content files write it: "2d 5h 40m", "50m", "1d"."""
    match = _AGE.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f"age {text!r} is not like '2d 5h 40m'")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _published_at(item: dict, now: datetime) -> datetime:
    # Relative to the moment of loading, never a clock time of day: a story "5h 40m" old
    # is published whenever the demo is loaded, so the paper always shows all of them.
    return now - parse_age(item["age"])


def _image_for(item: dict, existing: Image | None) -> Image:
    spec = item["image"]
    image = existing or Image()
    image.alt_text, image.caption, image.credit = spec["alt"], spec["caption"], spec["credit"]
    if not image.file:
        seed = zlib.crc32(item["key"].encode())
        data = render_demo_image(spec["motif"], seed)
        image.file.save(f"demo/{item['key']}.jpg", ContentFile(data), save=False)
    return save_image(image)


@transaction.atomic
def load_article(item: dict, now: datetime, report: LoadReport) -> Article:
    external_id = KEY_PREFIX + item["key"]
    article = Article.objects.filter(external_id=external_id).first()
    created = article is None
    if created:
        article = Article(external_id=external_id, published_at=_published_at(item, now))
    source = item.get("source")
    article.title = item["title"]
    article.slug = ""  # follows the title
    article.kicker = item.get("kicker", "")
    article.summary = item["summary"]
    article.body = body_html(item["body"])
    article.dateline = item["dateline"]
    article.section = Section.objects.get(slug=item["section"])
    article.source_agency = Agency.objects.get(slug=source["agency"]) if source else None
    article.source_url = source.get("url", "") if source else ""
    article.featured_image = _image_for(item, article.featured_image)
    article.status = Article.Status.PUBLISHED
    bylines = [
        services.BylineSpec(services.contributor_named(b["name"]), b["role"])
        for b in item["bylines"]
    ]
    services.save_article(article, bylines=bylines, tags=services.tags_named(item["tags"]))
    (report.created if created else report.updated).append(f"article {item['key']}")
    return article


def article_files() -> list[Path]:
    return sorted((CONTENT_DIR / "articles").glob("*.toml"))


def load_demo(now: datetime | None = None) -> LoadReport:
    """Load (or refresh) the whole demo paper, new stories dated by their age before `now`."""
    report = LoadReport()
    now = now or timezone.now()
    load_site(report)
    for path in article_files():
        load_article(_read(path), now, report)
    return report
