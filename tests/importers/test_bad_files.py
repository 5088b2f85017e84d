"""Hostile import files (issue 15): bombs refused quickly in bounded memory, bad lines and
items reported with their place and skipped, the rest imported."""

import codecs
import gzip
import json
import time
import tracemalloc

import pytest
from django.test import override_settings

from jarida.articles.models import Article
from jarida.importers.models import ImportRun
from jarida.importers.ndjson import NdjsonOptions, import_ndjson
from jarida.importers.safexml import Utf8Repair
from jarida.importers.streams import CappedGzip, bounded_lines
from jarida.importers.wxr import import_wxr
from tests.importers.bombs import MB, gzip_bomb
from tests.importers.conftest import wxr_document, wxr_post

pytestmark = pytest.mark.django_db


def line(**fields) -> bytes:
    base = {
        "title": "عنوان",
        "content": "فقرة",
        "author": "",
        "source": "okaz",
        "url": "http://paper.example/1",
        "date": "2015-08-03 12:40:00",
    }
    return json.dumps(base | fields, ensure_ascii=False).encode()


def measured(function, *args):
    """(result, seconds, peak bytes Python allocated while it ran)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = function(*args)
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_ndjson_gzip_bomb_is_refused_quickly_keeping_the_lines_before_it(tmp_path):
    # 2 GB of spaces after one good line: 2 MB on disk, a 1,000:1 ratio.
    path = tmp_path / "bomb.ndjson.gz"
    path.write_bytes(gzip_bomb(line() + b"\n", b" ", 2048, crc=False))
    assert path.stat().st_size < 3 * MB
    report, seconds, peak = measured(import_ndjson, path, NdjsonOptions(batch_size=10))
    assert "a decompression bomb" in report.error and "JARIDA_IMPORT_MAX_RATIO" in report.error
    assert report.failures[-1]["item"] == "file"
    assert list(Article.objects.values_list("external_id", flat=True)) == ["http://paper.example/1"]
    assert peak < 80 * MB, f"{peak / MB:.0f} MB held"
    assert seconds < 20  # reading all 2 GB would take minutes; the cap stops it at ~32 MB


def test_a_wxr_gzip_bomb_is_refused_quickly(tmp_path):
    document = wxr_document(wxr_post(1) + "BOMB")
    head, tail = document.split(b"BOMB")
    path = tmp_path / "bomb.xml.gz"
    # Comments between the items: the parser drops them, so only the cap can stop the read.
    path.write_bytes(gzip_bomb(head, b"<!-- -->", 2048, tail, crc=False))
    report, seconds, peak = measured(import_wxr, path)
    assert "a decompression bomb" in report.error
    assert peak < 80 * MB, f"{peak / MB:.0f} MB held"
    assert seconds < 20


def test_a_bomb_without_newlines_is_never_held_whole_by_the_wxr_reader(tmp_path):
    # One 40 MB "line": the reader that mends non-UTF-8 lines reads it a block at a time.
    data = gzip_bomb(b"<a>", "ج".encode() * 8, 40, b"</a>\n")
    path = tmp_path / "line.gz"
    path.write_bytes(data)
    with path.open("rb") as raw, override_settings(JARIDA_IMPORT_MAX_RATIO=10**6):
        reader = Utf8Repair(CappedGzip(raw, 10**6, 10**10), on_repair=pytest.fail)
        tracemalloc.start()
        size, decoder = 0, codecs.getincrementaldecoder("utf-8")()
        while block := reader.read(64 * 1024):
            decoder.decode(block)  # UTF-8 throughout: no line was "mended" by a cut
            size += len(block)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert size == 3 + 40 * MB + 5  # every byte came through
    assert peak < 16 * MB  # a few 1 MB blocks, never the 40 MB line


def test_the_size_cap_holds_whatever_the_ratio(tmp_path):
    path = tmp_path / "big.ndjson.gz"
    path.write_bytes(
        gzip.compress(b"\n".join(line(url=f"http://p.example/{i}") for i in range(300)))
    )
    with override_settings(JARIDA_IMPORT_MAX_BYTES=20_000):
        report = import_ndjson(path, NdjsonOptions(batch_size=50))
    assert "JARIDA_IMPORT_MAX_BYTES" in report.error
    assert 0 < Article.objects.count() < 300


def test_a_line_longer_than_the_limit_is_reported_and_skipped_not_held(tmp_path):
    long_line = line(url="http://paper.example/2", content="ن" * 600_000)
    path = tmp_path / "long.ndjson"
    path.write_bytes(line() + b"\n" + long_line + b"\n" + line(url="http://paper.example/3"))
    with override_settings(JARIDA_IMPORT_MAX_LINE=100_000):
        report = import_ndjson(path, NdjsonOptions())
    assert [f["item"] for f in report.failures] == ["line 2"]
    assert "over the 100,000-byte limit" in report.failures[0]["reason"]
    assert Article.objects.count() == 2


def test_bounded_lines_numbers_lines_and_drains_long_ones(tmp_path):
    path = tmp_path / "lines"
    path.write_bytes(b"a\n" + b"x" * 50 + b"\nb\r\nc")
    with path.open("rb") as stream:
        got = [(x.number, x.data, x.too_long) for x in bounded_lines(stream, 10)]
    assert got == [(1, b"a", 0), (2, b"", 51), (3, b"b", 0), (4, b"c", 0)]


HOSTILE_LINES = {
    # line number → (the line, what the report says)
    2: (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    3: (
        b'{"url": "http://paper.example/3", "title": "t", "date": "2015-08-03 12:40:00", '
        b'"views": ' + b"9" * 5000 + b"}",
        "integer string conversion",
    ),
    4: (line(url="http://paper.example/4\u0000x"), "invalid url"),
    5: (b'{"url": "http://paper.example/5", "title": "a\x00b"}', "invalid JSON"),
}


def test_hostile_lines_are_reported_by_number_and_the_rest_imports(tmp_path):
    lines = [line(url="http://paper.example/1")]
    lines += [HOSTILE_LINES[n][0] for n in sorted(HOSTILE_LINES)]
    lines.append(line(url="http://paper.example/6", title="عنوان\u0000 فيه صفر", author="a\u0000b"))
    lines.append(
        line(url="http://paper.example/7", title="عنوان").replace(
            "عنوان".encode(), b"\xff\xfe\xc3\x28"
        )
    )  # invalid UTF-8: read as windows-1256
    path = tmp_path / "hostile.ndjson"
    path.write_bytes(b"\n".join(lines))
    report = import_ndjson(path, NdjsonOptions())
    reasons = {f["item"].split(" (")[0]: f["reason"] for f in report.failures}
    assert set(reasons) == {f"line {n}" for n in HOSTILE_LINES}
    for number, (_, reason) in HOSTILE_LINES.items():
        assert reason in reasons[f"line {number}"], reasons[f"line {number}"]
    titles = dict(Article.objects.values_list("external_id", "title"))
    assert set(titles) == {f"http://paper.example/{n}" for n in (1, 6, 7)}
    assert titles["http://paper.example/6"] == "عنوان فيه صفر"  # NUL cleaned before the database
    assert {w["item"]: w["reason"] for w in report.warnings}["line 7"].startswith("not UTF-8")
    # The run record keeps the bad url legibly (PostgreSQL's JSON has no NUL).
    stored = ImportRun.objects.get().failures
    assert "line 4 (http://paper.example/4\\x00x)" in [f["item"] for f in stored]


def test_a_bad_wxr_item_is_reported_and_the_next_ones_import(tmp_path):
    deep = "<div>" * 50_000 + "نص عميق" + "</div>" * 50_000
    items = (
        wxr_post(1)
        + wxr_post(2, status="weird")
        + wxr_post(3, content=deep, post_date="9" * 5000, post_date_gmt="")
        + wxr_post(4, title="عنوان\u202e")
    )
    path = tmp_path / "items.xml"
    path.write_bytes(wxr_document(items))
    report = import_wxr(path)
    assert report.failures == [
        {"item": "post 2", "reason": "ValueError: unknown post status 'weird'"}
    ]
    keys = sorted(Article.objects.values_list("external_id", flat=True))
    assert keys == ["wxr:old.example:1", "wxr:old.example:3", "wxr:old.example:4"]
    assert "نص عميق" in Article.objects.get(external_id="wxr:old.example:3").body
    assert Article.objects.get(external_id="wxr:old.example:4").title == "عنوان"


def test_a_nul_character_reference_stops_the_wxr_file_with_its_line(tmp_path):
    # XML 1.0 has no NUL, not even as &#0;: WordPress's parsers refuse the file too; what
    # came before is kept and the place is named.
    path = tmp_path / "nul.xml"
    post = wxr_post(2).replace("<link>", "<link>&#0;")
    path.write_bytes(wxr_document(wxr_post(1) + "\n" + post))
    report = import_wxr(path)
    assert "line" in report.error and "column" in report.error
    assert list(Article.objects.values_list("external_id", flat=True)) == ["wxr:old.example:1"]
