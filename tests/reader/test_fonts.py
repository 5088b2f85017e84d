"""The subset fonts against real Arabic news: every character of the SaudiNewsNet corpus
that reader.css sends to an Arabic Noto face has a glyph in it, so cutting the fonts
(scripts/subset_fonts.py) dropped nothing the paper prints."""

import gzip
import json
import re
import unicodedata

import pytest
from fontTools.ttLib import TTFont

from jarida.paths import BASE_DIR
from tests.conftest import SHARED_DIR

STATIC = BASE_DIR / "jarida" / "reader" / "static" / "reader"
CORPUS = SHARED_DIR / "data" / "saudinewsnet" / "articles.ndjson.gz"


def _faces() -> list[tuple[str, list[tuple[int, int]]]]:
    """(font file, unicode ranges) for every downloaded @font-face in reader.css."""
    css = (STATIC / "reader.css").read_text()
    faces = []
    for block in re.findall(r"@font-face\s*{(.*?)}", css, re.S):
        if not (src := re.search(r'url\("([^"]+)"\)', block)):
            continue  # a local() fallback face downloads nothing
        src = src[1]
        ranges = []
        for start, end in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", block):
            ranges.append((int(start, 16), int(end or start, 16)))
        faces.append((src, ranges))
    return faces


def test_every_font_face_names_a_shipped_file_with_a_range():
    faces = _faces()
    assert len(faces) == 8  # Naskh and Sans, 400 and 700, Arabic and Latin ranges
    for src, ranges in faces:
        assert (STATIC / src).exists() and ranges, src


def test_fonts_a_page_can_fetch_weigh_at_most_80_kb():
    files = {src for src, _ in _faces()}
    assert len(files) == 6  # Sans borrows Naskh's Latin files
    assert sum((STATIC / src).stat().st_size for src in files) <= 80 * 1024


def test_corpus_characters_sent_to_an_arabic_face_have_a_glyph_in_it():
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent (../shared is not beside this checkout)")
    seen = set()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            seen.update(record.get("title", "") + record.get("content", ""))
    # Controls and format characters (ZWNJ, marks of direction) draw nothing.
    points = {ord(ch) for ch in seen if unicodedata.category(ch) not in {"Zs", "Cc", "Cf"}}
    assert len([p for p in points if 0x0621 <= p <= 0x064A]) >= 28  # the corpus is Arabic
    # Every Arabic character the corpus uses is drawn by the paper's faces, not a fallback,
    # except presentation forms A (Persian and ligature forms; a handful of distinct ones
    # in the corpus, 8.5 KB a face to keep): the system's Arabic font draws those.
    arabic_ranges = [r for src, ranges in _faces() if "-arabic-arabic-" in src for r in ranges]
    arabic_ranges.append((0xFB50, 0xFDEF))
    drawn = lambda p: any(a <= p <= b for a, b in arabic_ranges)  # noqa: E731
    unclaimed = sorted(
        p for p in points if "ARABIC" in unicodedata.name(chr(p), "") and not drawn(p)
    )
    assert not unclaimed, [f"U+{p:04X}" for p in unclaimed]
    missing = {}
    for src, ranges in _faces():
        if "-arabic-arabic-" not in src:
            continue  # the Latin files claim @fontsource's whole punctuation block as before
        cmap = set(TTFont(STATIC / src).getBestCmap())
        claimed = {p for p in points if any(a <= p <= b for a, b in ranges)}
        if lost := sorted(claimed - cmap):
            missing[src] = [f"U+{p:04X}" for p in lost]
    assert not missing, "; ".join(f"{src}: {' '.join(lost)}" for src, lost in missing.items())
