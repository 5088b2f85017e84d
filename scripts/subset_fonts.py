"""Cut the self-hosted Noto faces down to the characters an Arabic newspaper prints.

The @fontsource 5.3.0 files carry every Arabic-script language (Urdu, Persian, African
and Quranic extensions, presentation forms A): about 50 KB a face, four faces a page.
This keeps the letters, marks and digits Arabic news uses (ARABIC_RANGE below),
presentation forms B (text pasted from PDFs) and the honorific ligatures (ﷺ ﷲ), with every
layout feature, so shaping is unchanged; the Latin files keep ASCII, Latin-1 and the
punctuation of U+2010-203A. Only the faces a page sets are kept: Naskh (text) Arabic and
Latin at 400 and 700, Sans (headings and labels) Arabic at 400 and 700; the Sans stack
borrows Naskh's Latin file (reader.css), so Sans Latin files are not shipped.
Idempotent: run it again after replacing a file with a fresh @fontsource copy, then keep
reader.css's unicode-range in step (ARABIC_RANGE / LATIN_RANGE below).

    .venv/bin/python scripts/subset_fonts.py
"""

from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "jarida" / "reader" / "static" / "reader" / "fonts"
# Arabic as Arabic papers print it (every letter, mark, digit and sign of U+0621-0671 with
# a count of 10 or more in 29,549 SaudiNewsNet articles, the Persian letters foreign names
# need, presentation forms B and the honorific ligatures). The Urdu, Sindhi and Quranic
# extensions of U+0672-06FF (two thirds of each file) go to the reader's system font.
ARABIC_RANGE = (
    "U+060C, U+061B, U+061F, U+0621-063A, U+0640-0655, U+0660-066D, U+0670-0671, U+067E,"
    " U+0686, U+0698, U+06A4, U+06A9, U+06AF, U+06CC, U+200C-200F, U+FDF2, U+FDFA, U+FDFC,"
    " U+FE70-FE74, U+FE76-FEFC"
)
# Spaces, digits and punctuation an Arabic page sets in Latin code points, Latin-1 letters
# for foreign names, typographic quotes and dashes.
LATIN_RANGE = "U+0020-007E, U+00A0-00FF, U+2010-2027, U+2030-203A, U+20AC, U+2212"


def codepoints(ranges: str) -> list[int]:
    """`U+0600-06FF, U+200C` → the code points it names."""
    points = []
    for part in ranges.split(","):
        start, _, end = part.strip().removeprefix("U+").partition("-")
        points += range(int(start, 16), int(end or start, 16) + 1)
    return points


def cut(path: Path, ranges: str) -> tuple[int, int]:
    """Subset one woff2 file in place; (bytes before, bytes after)."""
    before = path.stat().st_size
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # every Arabic shaping feature stays
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints(ranges))
    subsetter.subset(font)
    subset.save_font(font, str(path), options)
    return before, path.stat().st_size


def main() -> None:
    for path in sorted(FONTS.glob("*.woff2")):
        ranges = ARABIC_RANGE if "-arabic-arabic-" in path.name else LATIN_RANGE
        before, after = cut(path, ranges)
        print(f"{path.name:45} {before / 1024:6.1f} KB → {after / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
