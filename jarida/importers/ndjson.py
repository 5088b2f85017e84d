"""Import an NDJSON corpus (the SaudiNewsNet format): one article a line, in batches.

Each batch is one transaction: new articles by `bulk_create`, their bylines in bulk, and
one `index_articles` call (the per-save signal would cost a query round per article), so
a kill leaves whole batches only. The url is the import key (`Article.external_id`): a
rerun skips what is there (or rewrites it with `update`) and continues where it stopped.
"""

import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from jarida.accounts.models import Contributor
from jarida.articles import services
from jarida.articles.models import RESERVED_SLUGS, Agency, Article, Byline, Section
from jarida.core.text import arabic_slug, clean_text
from jarida.importers.models import ImportRun
from jarida.importers.runs import ImportReport, recorded_run
from jarida.importers.safexml import FALLBACK_ENCODING
from jarida.search import services as search

_validate_url = URLValidator(schemes=["http", "https"])
#: Fields the page needs; `author` and `source` may be empty, `content` is warned about.
REQUIRED = ("url", "title", "date")
TEXT_FIELDS = ("url", "title", "content", "author", "source", "date")


@dataclass(frozen=True)
class NdjsonOptions:
    """Where the articles go and how the file's dates are read."""

    section_slug: str | None = None
    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))
    batch_size: int = 1000
    update: bool = False


@dataclass
class Record:
    line: int
    url: str
    title: str
    paragraphs: list[str]
    author: str
    source: str
    published_at: datetime


def archive_name(path: Path) -> str:
    """`articles-1k.ndjson.gz` → `articles-1k`: the default section's name."""
    name = path.name
    for suffix in (".gz", ".ndjson", ".jsonl", ".json"):
        name = name.removesuffix(suffix)
    return name


def _lines(stream, report: ImportReport) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            report.warn(f"line {number}", f"not UTF-8: read as {FALLBACK_ENCODING}")
            yield number, raw.decode(FALLBACK_ENCODING, errors="replace")


def _text(value, report: ImportReport, number: int, name: str) -> str:
    if value is None:
        return ""
    value = value if isinstance(value, str) else str(value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates ("\ud800") never reach the database
        report.warn(f"line {number}", f"{name}: invalid characters replaced")
        value = value.encode("utf-8", errors="replace").decode("utf-8")
    return value.strip()


def parse_date(value: str, zone: ZoneInfo) -> datetime:
    """`2015-08-03 12:40:00` in the file's zone (an ISO date with an offset keeps it)."""
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def read_records(stream, options: NdjsonOptions, report: ImportReport) -> Iterator[Record]:
    """Valid records; every bad line is reported with its number and the reason."""
    for number, line in _lines(stream, report):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            report.fail(f"line {number}", f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        if not isinstance(data, dict):
            report.fail(f"line {number}", "not a JSON object")
            continue
        values = {name: _text(data.get(name), report, number, name) for name in TEXT_FIELDS}
        item = f"line {number}" + (f" ({values['url']})" if values["url"] else "")
        if missing := [name for name in REQUIRED if not values[name]]:
            report.fail(item, f"missing {', '.join(missing)}")
            continue
        try:
            _validate_url(values["url"])
            if len(values["url"]) > 255:
                raise ValidationError("longer than 255 characters")
            published_at = parse_date(values["date"], options.time_zone)
        except ValidationError as error:
            report.fail(item, f"invalid url: {' '.join(error.messages)}")
            continue
        except ValueError:
            report.fail(item, f"invalid date {values['date']!r}")
            continue
        paragraphs = [p.strip() for p in values["content"].split("\n") if p.strip()]
        if not paragraphs:
            report.warn(item, "no content")
        yield Record(
            number,
            values["url"],
            values["title"],
            paragraphs,
            values["author"],
            values["source"],
            published_at,
        )


@dataclass
class BatchOutcome:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    repeated: list[Record] = field(default_factory=list)


class NdjsonImporter:
    """Writes batches of records; remembers the agencies and contributors it has met."""

    def __init__(self, section: Section, options: NdjsonOptions, report: ImportReport):
        self.section, self.options, self.report = section, options, report
        self.agencies: dict[str, Agency] = {}
        self.contributors: dict[str, Contributor] = {}

    def agency(self, source: str) -> Agency | None:
        if not source:
            return None
        if source not in self.agencies:
            slug = slugify(source) or f"agency-{hashlib.sha256(source.encode()).hexdigest()[:8]}"
            self.agencies[source] = (
                Agency.objects.filter(slug=slug).first()
                or Agency.objects.matching(source)
                or Agency.objects.create(name=clean_text(source)[:100], slug=slug)
            )
        return self.agencies[source]

    def contributor(self, name: str) -> Contributor:
        if name not in self.contributors:
            self.contributors[name] = services.contributor_named(name)
        return self.contributors[name]

    def article(self, record: Record) -> Article:
        title = clean_text(record.title)[:300]
        return Article(
            external_id=record.url,
            title=title,
            slug=arabic_slug(title),
            body="\n".join(f"<p>{escape(p)}</p>" for p in record.paragraphs),
            section=self.section,
            source_agency=self.agency(record.source),
            source_url=record.url,
            status=Article.Status.PUBLISHED,
            published_at=record.published_at,
        )

    def write(self, records: list[Record]) -> None:
        """One batch, one transaction: articles, bylines and their index entries."""
        if not records:
            return
        try:
            with transaction.atomic():
                outcome = self._write(records)
        except Exception:
            # Objects met in the rolled-back batch may not exist: forget them, then find
            # the record at fault by writing the batch one record at a time.
            self.agencies.clear()
            self.contributors.clear()
            if len(records) == 1:
                raise
            for record in records:
                try:
                    self.write([record])
                except Exception as error:
                    self.report.fail(f"line {record.line} ({record.url})", f"{error}")
            return
        # Counted only once the batch is committed.
        self.report.created += outcome.created
        self.report.updated += outcome.updated
        for _ in range(outcome.skipped):
            self.report.skip("already imported")
        for record in outcome.repeated:
            self.report.fail(f"line {record.line} ({record.url})", "url repeated in the file")

    def _write(self, records: list[Record]) -> "BatchOutcome":
        existing = dict(
            Article.objects.filter(external_id__in=[r.url for r in records]).values_list(
                "external_id", "pk"
            )
        )
        outcome = BatchOutcome()
        new, rewritten, seen = [], [], set()
        for record in records:
            if record.url in seen:
                outcome.repeated.append(record)
                continue
            seen.add(record.url)
            if record.url not in existing:
                new.append((self.article(record), record))
            elif self.options.update:
                article = self.article(record)
                article.pk = existing[record.url]
                rewritten.append((article, record))
            else:
                outcome.skipped += 1
        Article.objects.bulk_create([article for article, _ in new])
        if rewritten:
            self._rewrite([article for article, _ in rewritten])
        done = new + rewritten
        Byline.objects.bulk_create(
            Byline(article=article, contributor=self.contributor(record.author))
            for article, record in done
            if record.author
        )
        search.index_articles([article for article, _ in done])
        outcome.created, outcome.updated = len(new), len(rewritten)
        return outcome

    def _rewrite(self, articles: list[Article]) -> None:
        fields = ["title", "slug", "body", "section", "source_agency", "source_url"]
        fields += ["status", "published_at", "updated_at"]
        now = timezone.now()
        for article in articles:
            # bulk_update skips pre_save: clean the text fields as a save would.
            for name in ("title", "body"):
                setattr(article, name, Article._meta.get_field(name).pre_save(article, False))
            article.updated_at = now
        Article.objects.bulk_update(articles, fields)
        Byline.objects.filter(article__in=articles).delete()


def section_for(path: Path, slug: str | None) -> Section:
    """The section named on the command line, else one named for the archive (created)."""
    name = archive_name(path)
    slug = slug or arabic_slug(name, 100) or "archive"
    if slug in RESERVED_SLUGS:
        raise ValueError(f"{slug!r} is reserved for the site's own pages")
    section = Section.objects.filter(slug=slug).first()
    return section or Section.objects.create(slug=slug, name=name[:100])


def import_ndjson(
    path: Path,
    options: NdjsonOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a .ndjson or .ndjson.gz file; `progress(bytes_read)` follows the file."""
    path, options, report = Path(path), options or NdjsonOptions(), ImportReport()
    with recorded_run(ImportRun.Kind.NDJSON, str(path), report), path.open("rb") as raw:
        importer = NdjsonImporter(section_for(path, options.section_slug), options, report)
        stream = gzip.GzipFile(fileobj=raw) if path.suffix == ".gz" else raw
        batch = []
        try:
            for record in read_records(stream, options, report):
                batch.append(record)
                if len(batch) >= options.batch_size:
                    importer.write(batch)
                    batch = []
                    if progress:
                        progress(raw.tell())
        except (OSError, EOFError) as error:  # a truncated or corrupt .gz
            report.fail(path.name, f"cannot read the file: {error}")
            report.error = str(error)
        importer.write(batch)
        if progress:
            progress(raw.tell())
    return report
