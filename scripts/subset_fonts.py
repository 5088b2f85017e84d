"""Cut the self-hosted Noto faces down to the characters an Arabic newspaper prints.

The @fontsource 5.3.0 files carry every Arabic-script language (Urdu, Persian, African
and Quranic extensions, presentation forms A): about 50 KB a face, four faces a page.
This keeps the Arabic block, presentation forms B (text pasted from PDFs) and the
honorific ligatures (ﷺ ﷲ), with every layout feature, so shaping is unchanged; the Latin
files keep ASCII, Latin-1 and general punctuation. Idempotent: run it again after
replacing a file with a fresh @fontsource copy, then keep fonts.css's unicode-range in
step (ARABIC_RANGE / LATIN_RANGE below).

    .venv/bin/python scripts/subset_fonts.py
"""

from pathlib import Path

from fontTools import subset

FONTS = Path(__file__).resolve().parent.parent / "jarida" / "reader" / "static" / "reader" / "fonts"
ARABIC_RANGE = "U+0600-06FF, U+200C-200F, U+2010-2011, U+FDF0-FDFF, U+FE70-FE74, U+FE76-FEFC"
LATIN_RANGE = "U+0000-00FF, U+2000-206F, U+20AC, U+2122, U+2212, U+FEFF, U+FFFD"


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
