"""NDJSON corpora: published at their date, searchable, idempotent by url, resumable."""

import gzip
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.encoding import iri_to_uri

from jarida.articles.models import Agency, Article, Byline, Section
from jarida.core.text import arabic_slug
from jarida.importers import ndjson
from jarida.importers.models import ImportRun
from jarida.importers.ndjson import NdjsonOptions, import_ndjson
from jarida.search import services as search
from jarida.search.backends.base import SearchQuery

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")


def records(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def options(**overrides) -> NdjsonOptions:
    return NdjsonOptions(**({"time_zone": RIYADH, "batch_size": 250} | overrides))


def test_corpus_articles_are_published_at_their_date_and_found(corpus_1k):
    rows = records(corpus_1k)
    report = import_ndjson(corpus_1k, options())
    assert (report.created, report.failed) == (len(rows), 0) == (1000, 0)
    first = rows[0]
    article = Article.objects.select_related("section", "source_agency").get(
        external_id=first["url"]
    )
    assert article.published_at == datetime.strptime(first["date"], "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=RIYADH
    )
    assert article.is_visible and article.section.slug == "articles-1k"
    assert article.source_agency.slug == first["source"]
    assert article.source_url == iri_to_uri(first["url"])
    paragraphs = [p.strip() for p in first["content"].split("\n") if p.strip()]
    assert article.body.count("<p>") == len(paragraphs)
    with_author = sum(1 for row in rows if row["author"].strip())
    assert Byline.objects.count() == with_author
    assert Agency.objects.count() == len({row["source"] for row in rows})
    found = search.search(SearchQuery(article.title, limit=20)).article_ids
    assert article.pk in found
    assert ImportRun.objects.get().tally == {}


def test_a_second_run_skips_every_url(corpus_1k):
    import_ndjson(corpus_1k, options())
    report = import_ndjson(corpus_1k, options())
    assert (report.created, report.skipped, report.failed) == (0, 1000, 0)
    assert Article.objects.count() == 1000


def test_killed_mid_batch_then_rerun_ends_as_one_clean_run(corpus_1k, monkeypatch):
    rows = records(corpus_1k)
    real = ndjson.NdjsonImporter.meet_contributors
    calls = {"n": 0}

    def killed_in_the_third_batch(importer, names):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # after the batch's rows were inserted, before commit
        return real(importer, names)

    monkeypatch.setattr(ndjson.NdjsonImporter, "meet_contributors", killed_in_the_third_batch)
    with pytest.raises(KeyboardInterrupt):
        import_ndjson(corpus_1k, options())
    assert Article.objects.count() == 500  # two whole batches of 250, nothing of the third
    assert ImportRun.objects.get().status == ImportRun.Status.INTERRUPTED

    monkeypatch.setattr(ndjson.NdjsonImporter, "meet_contributors", real)
    report = import_ndjson(corpus_1k, options())
    assert (report.created, report.skipped) == (500, 500)
    assert Article.objects.count() == Article.objects.values("external_id").distinct().count()
    assert Article.objects.count() == len(rows)
    assert Byline.objects.count() == sum(1 for row in rows if row["author"].strip())
    sample = Article.objects.order_by("?").first()
    assert sample.pk in search.search(SearchQuery(sample.title, limit=50)).article_ids


def test_a_worker_process_prepares_the_same_articles(corpus_1k, tmp_path):
    sample = tmp_path / "sample.ndjson"
    sample.write_text("\n".join(json.dumps(row) for row in records(corpus_1k)[:60]))
    import_ndjson(sample, options(batch_size=20, section_slug="in-process"))
    stored = ("title", "body", "slug", "excerpt_text")
    in_process = {row[0]: row[1:] for row in Article.objects.values_list("external_id", *stored)}
    Article.objects.all().delete()
    import_ndjson(sample, options(batch_size=20, workers=1, section_slug="worker"))
    in_worker = {row[0]: row[1:] for row in Article.objects.values_list("external_id", *stored)}
    assert in_worker == in_process
    # What the worker made ahead is what an editor's save would make of the same text.
    for article in Article.objects.all():
        assert (article.slug, article.excerpt_text) == (
            arabic_slug(article.title),
            article.compute_excerpt(),
        )
    article = Article.objects.first()
    assert search.search(SearchQuery(article.title, limit=60)).article_ids.count(article.pk) == 1


def line(ascii=False, **fields) -> str:
    base = {
        "title": "عنوان",
        "content": "فقرة أولى\nفقرة <ثانية> & أخيرة",
        "author": "",
        "source": "okaz",
        "url": "http://paper.example/1",
        "date": "2015-08-03 12:40:00",
    }
    return json.dumps(base | fields, ensure_ascii=ascii)


def test_bad_lines_are_reported_with_their_number_and_good_ones_imported(tmp_path):
    lines = [
        line(url="http://paper.example/1", author="كاتب"),
        "{not json",
        json.dumps(["a list"]),
        line(url="", title=""),
        line(url="http://paper.example/3", date="yesterday"),
        line(url="ftp://paper.example/4"),
        line(url="http://paper.example/1", title="مكرر"),
        line(ascii=True, url="http://paper.example/6", title="\ud800 نص"),  # "\\ud800" in JSON
    ]
    data = "\n".join(lines).encode("utf-8")
    data += b"\n" + line(url="http://paper.example/7", title="TITLE").encode().replace(
        b"TITLE", "الرياض".encode("windows-1256")
    )
    path = tmp_path / "bad.ndjson"
    path.write_bytes(data)
    report = import_ndjson(path, options())
    assert {f["item"].split(" (")[0]: f["reason"] for f in report.failures} == {
        "line 2": "invalid JSON: Expecting property name enclosed in double quotes at column 2",
        "line 3": "not a JSON object",
        "line 4": "missing url, title",
        "line 5": "invalid date 'yesterday'",
        "line 6": "invalid url: not an http(s) address",
        "line 7": "url repeated in the file",
    }
    assert dict(Article.objects.values_list("external_id", "title")) == {
        "http://paper.example/1": "عنوان",
        "http://paper.example/6": "? نص",
        "http://paper.example/7": "الرياض",
    }
    assert Article.objects.get(external_id="http://paper.example/1").body == (
        "<p>فقرة أولى</p>\n<p>فقرة &lt;ثانية&gt; &amp; أخيرة</p>"
    )
    warned = {w["item"].split(" (")[0]: w["reason"] for w in report.warnings}
    assert warned["line 9"] == "not UTF-8: read as windows-1256"
    assert warned["line 8"] == "title: invalid characters replaced"


def test_update_rewrites_articles_from_the_file(tmp_path):
    path = tmp_path / "a.ndjson"
    path.write_text(line(author="كاتب أول"))
    import_ndjson(path, options())
    path.write_text(line(title="عنوان مصحح", author="كاتب ثان"))
    report = import_ndjson(path, options(update=True))
    article = Article.objects.get()
    assert (report.updated, article.title) == (1, "عنوان مصحح")
    assert [b.contributor.name for b in article.bylines.all()] == ["كاتب ثان"]
    assert search.search(SearchQuery("مصحح")).article_ids == [article.pk]


def test_command_takes_section_and_time_zone_and_fails_on_bad_lines(tmp_path, capsys):
    path = tmp_path / "local.ndjson"
    path.write_text(line() + "\n{oops\n")
    with pytest.raises(CommandError) as error:
        call_command(
            "import_ndjson", str(path), "--section", "archive", "--time-zone", "UTC", verbosity=0
        )
    assert error.value.returncode == 1
    assert "created 1, updated 0, skipped 0, failed 1" in capsys.readouterr().out
    article = Article.objects.get()
    assert article.section == Section.objects.get(slug="archive")
    assert article.published_at == datetime(2015, 8, 3, 12, 40, tzinfo=ZoneInfo("UTC"))


def test_the_vocabulary_made_ahead_is_the_one_indexing_makes(
    corpus_1k, tmp_path, django_capture_on_commit_callbacks
):
    from django.db import connection

    def vocabulary_rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT term, skeleton, df FROM search_term ORDER BY term")
            return cursor.fetchall()

    rows = records(corpus_1k)[:60]
    first, whole = tmp_path / "first.ndjson", tmp_path / "whole.ndjson"
    first.write_text("\n".join(json.dumps(row) for row in rows[:30]))
    whole.write_text("\n".join(json.dumps(row) for row in rows))
    with django_capture_on_commit_callbacks(execute=True):
        import_ndjson(first, options(batch_size=20, workers=1, section_slug="s"))
        # Batches of 20: the second is half new (worked out here), the third all new
        # (its rows made ahead by the worker).
        import_ndjson(whole, options(batch_size=20, workers=1, section_slug="s"))
    imported = vocabulary_rows()
    assert len(imported) > 1000 and ("", "", 60) in imported
    with django_capture_on_commit_callbacks(execute=True):
        search.rebuild_index()
    assert vocabulary_rows() == imported
