"""Import an NDJSON corpus (the SaudiNewsNet format): one article a line, in batches.

Each batch is one transaction: new articles by `bulk_create`, their bylines in bulk, and
the batch's search entries in one backend call (the per-save signal would cost a round
per article), so a kill leaves whole batches only. The text work (cleaning as the fields
do on save, `search.services.index_entry`'s terms) is done ahead, in a worker process
when there is one. The url is the import key (`Article.external_id`): a rerun skips what
is there (or rewrites it with `update`) and continues where it stopped.
"""

import json
import multiprocessing
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import iri_to_uri

from jarida.accounts.models import Contributor
from jarida.accounts.services import contributors_named
from jarida.articles import services
from jarida.articles.models import RESERVED_SLUGS, Agency, Article, Section
from jarida.core.fields import CLEANED
from jarida.core.text import arabic_slug, clean_text
from jarida.importers.models import ImportRun
from jarida.importers.runs import ImportReport, recorded_run
from jarida.importers.safexml import FALLBACK_ENCODING
from jarida.importers.streams import TooLarge, bounded_lines, open_import
from jarida.search import services as search
from jarida.search.backends.base import IndexEntry

_UNSAFE_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")


def _check_url(url: str) -> None:
    """An http(s) address with a host, fit for a key (URLValidator costs 0.1 ms a record)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("not an http(s) address")
    # An NBSP inside a path (seen in the corpus) is the site's own spelling: kept, escaped.
    if _UNSAFE_IN_URL.search(url.replace("\xa0", "")):
        raise ValidationError("contains spaces or control characters")
    if len(url) > 255:
        raise ValidationError("longer than 255 characters")


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
    #: Processes doing the text work (cleaning, sanitising, search terms) of the next batch
    #: while this one writes; 0 does everything in this process.
    workers: int = 0


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
    """The file's lines; a bomb, a truncated or corrupt file ends them (reported), so the
    lines read before it are still imported."""
    try:
        yield from _decoded_lines(stream, report)
    except TooLarge as error:
        report.fail("file", str(error))
        report.error = str(error)
    except (OSError, EOFError) as error:
        report.fail("file", f"cannot read the file: {error}")
        report.error = str(error)


def _decoded_lines(stream, report: ImportReport) -> Iterator[tuple[int, str]]:
    for line in bounded_lines(stream, settings.JARIDA_IMPORT_MAX_LINE):
        number, raw = line.number, line.data
        if line.too_long:
            report.fail(
                f"line {number}",
                f"{line.too_long:,} bytes, over the {settings.JARIDA_IMPORT_MAX_LINE:,}-byte "
                "limit of one line (JARIDA_IMPORT_MAX_LINE): skipped",
            )
            continue
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
    """Valid records; every bad line is reported with its number and the reason, skipped."""
    for number, line in _lines(stream, report):
        try:
            record = _record(number, line, options, report)
        except Exception as error:  # whatever a line holds, it never stops the import
            report.fail(f"line {number}", f"unreadable: {type(error).__name__}: {error}"[:500])
            continue
        if record is not None:
            yield record


def _record(number: int, line: str, options: NdjsonOptions, report: ImportReport) -> Record | None:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        report.fail(f"line {number}", f"invalid JSON: {error.msg} at column {error.colno}")
        return None
    except RecursionError:
        report.fail(f"line {number}", "invalid JSON: nested too deeply")
        return None
    except ValueError as error:  # a 5,000-digit number: Python's int() limit
        report.fail(f"line {number}", f"invalid JSON: {error}"[:300])
        return None
    if not isinstance(data, dict):
        report.fail(f"line {number}", "not a JSON object")
        return None
    values = {name: _text(data.get(name), report, number, name) for name in TEXT_FIELDS}
    item = f"line {number}" + (f" ({values['url'][:300]})" if values["url"] else "")
    if missing := [name for name in REQUIRED if not values[name]]:
        report.fail(item, f"missing {', '.join(missing)}")
        return None
    try:
        _check_url(values["url"])
        published_at = parse_date(values["date"], options.time_zone)
    except ValidationError as error:
        report.fail(item, f"invalid url: {' '.join(error.messages)}")
        return None
    except ValueError:
        report.fail(item, f"invalid date {values['date'][:100]!r}")
        return None
    paragraphs = [p.strip() for p in values["content"].split("\n") if p.strip()]
    if not paragraphs:
        report.warn(item, "no content")
    return Record(
        number,
        values["url"],
        values["title"],
        paragraphs,
        values["author"],
        values["source"],
        published_at,
    )


def body_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)


_TITLE = Article._meta.get_field("title")
_BODY = Article._meta.get_field("body")


class PreparedText(NamedTuple):
    """One record's text as saving stores it, and its search entry."""

    title: str
    body: str
    slug: str
    excerpt: str
    entry: IndexEntry


@dataclass
class Prepared:
    """A batch's text work: per record, and the search vocabulary rows of all of them
    (used when every record of the batch is new)."""

    texts: list[PreparedText]
    vocabulary: list[tuple[str, str, int]]


def text_work(items: list[tuple[str, list[str]]]) -> Prepared:
    """Title, body, slug and excerpt as saving makes them, and their search terms (runs
    in a worker).

    The fields' own cleaning (the title cut to its length first), the model's own excerpt
    and the same `index_entry` the search index uses, so a batch prepared here is stored
    and indexed exactly as one saved; the importer marks the text worked out so it is not
    worked out twice.
    """
    done = []
    for title, paragraphs in items:
        article = Article(
            title=_TITLE.clean_value(clean_text(title)[: _TITLE.max_length]),
            body=_BODY.clean_value(body_html(paragraphs)),
        )
        done.append(
            PreparedText(
                article.title,
                article.body,
                arabic_slug(article.title),
                article.compute_excerpt(),
                search.index_entry(article),
            )
        )
    return Prepared(done, search.new_vocabulary([text.entry for text in done]))


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
            self.agencies[source] = services.agency_named(source, create=True)
        return self.agencies[source]

    def meet_contributors(self, names: set[str]) -> None:
        """Find or create, in a few queries, the contributors named in a batch."""
        if missing := names - self.contributors.keys():
            self.contributors |= contributors_named(missing)

    def article(self, record: Record, text: PreparedText) -> Article:
        article = Article(
            external_id=record.url,
            title=text.title,
            slug=text.slug,
            body=text.body,
            excerpt_text=text.excerpt,
            section=self.section,
            source_agency=self.agency(record.source),
            source_url=iri_to_uri(record.url)[:500],
            status=Article.Status.PUBLISHED,
            published_at=record.published_at,
        )
        # `text_work` ran the fields' cleaners, and the excerpt's, on exactly these strings.
        setattr(
            article, CLEANED, {"title": text.title, "body": text.body, "excerpt_text": text.excerpt}
        )
        return article

    def write(self, records: list[Record], prepared: Prepared) -> None:
        """One batch, one transaction: articles, bylines and their index entries.

        `prepared` is `text_work` of the records (done ahead, in a worker when there is one).
        """
        if not records:
            return
        try:
            with transaction.atomic():
                outcome = self._write(records, prepared)
        except Exception as error:
            # Objects met in the rolled-back batch may not exist: forget them, then find
            # the record at fault by writing the batch one record at a time.
            self.agencies.clear()
            self.contributors.clear()
            if len(records) == 1:
                raise
            where = f"lines {records[0].line}-{records[-1].line}"
            self.report.warn(where, f"batch rolled back ({error}): written one by one")
            for record, text in zip(records, prepared.texts, strict=True):
                try:
                    self.write([record], Prepared([text], search.new_vocabulary([text.entry])))
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

    def _write(self, records: list[Record], prepared: Prepared) -> BatchOutcome:
        existing = dict(
            Article.objects.filter(external_id__in=[r.url for r in records]).values_list(
                "external_id", "pk"
            )
        )
        outcome = BatchOutcome()
        new, rewritten, seen = [], [], set()
        for record, text in zip(records, prepared.texts, strict=True):
            if record.url in seen:
                outcome.repeated.append(record)
                continue
            seen.add(record.url)
            if record.url not in existing:
                new.append((self.article(record, text), record, text))
            elif self.options.update:
                article = self.article(record, text)
                article.pk = existing[record.url]
                rewritten.append((article, record, text))
            else:
                outcome.skipped += 1
        done = new + rewritten
        self.meet_contributors({record.author for _, record, _ in done if record.author})

        def bulk(article: Article, record: Record, text) -> services.BulkArticle:
            person = self.contributors.get(record.author)  # none for a name of invisibles
            bylines = [services.BylineSpec(person)] if person else []
            return services.BulkArticle(article, bylines, index_entry=text.entry)

        services.save_articles_in_bulk(
            [bulk(*row) for row in new],
            [bulk(*row) for row in rewritten],
            # The rows made ahead are the whole batch's: right only when all of it is new.
            new_vocabulary=prepared.vocabulary if len(new) == len(records) else None,
        )
        outcome.created, outcome.updated = len(new), len(rewritten)
        return outcome


def section_for(path: Path, slug: str | None) -> Section:
    """The section named on the command line, else one named for the archive (created)."""
    name = archive_name(path)
    if slug in RESERVED_SLUGS:
        raise ValueError(f"{slug!r} is reserved for the site's own pages")
    return services.find_or_create_section(slug or name, name)[0]


def _batches(records: Iterator[Record], size: int) -> Iterator[list[Record]]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _exit_with_parent(parent: int) -> None:
    """In a worker: end when the importer is gone (a `kill -9` must not leave orphans)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _pool(workers: int):
    if not workers:
        return nullcontext(None)
    # Forked workers start at once and inherit the loaded project; they only do text work.
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )


def _done(value) -> Future:
    future = Future()
    future.set_result(value)
    return future


def _write_oldest(importer: NdjsonImporter, waiting: deque, progress, raw) -> None:
    batch, prepared = waiting.popleft()
    importer.write(batch, prepared.result())
    if progress:
        progress(raw.tell())


def import_ndjson(
    path: Path,
    options: NdjsonOptions | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a .ndjson or .ndjson.gz file; `progress(bytes_read)` follows the file."""
    path, options, report = Path(path), options or NdjsonOptions(), ImportReport()
    with recorded_run(ImportRun.Kind.NDJSON, str(path), report), _pool(options.workers) as pool:
        importer = NdjsonImporter(section_for(path, options.section_slug), options, report)
        raw, stream = open_import(path)
        with raw:
            # Up to `workers + 1` batches are prepared ahead while the oldest one is written.
            waiting: deque = deque()
            for batch in _batches(read_records(stream, options, report), options.batch_size):
                items = [(r.title, r.paragraphs) for r in batch]
                waiting.append(
                    (batch, pool.submit(text_work, items) if pool else _done(text_work(items)))
                )
                if len(waiting) > options.workers:
                    _write_oldest(importer, waiting, progress, raw)
            while waiting:
                _write_oldest(importer, waiting, progress, raw)
    return report
