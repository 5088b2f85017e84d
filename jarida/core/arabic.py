"""Arabic normalisation for matching: search keys, banned words, duplicate detection.

`normalize` folds the spellings readers and papers use interchangeably, so that the
same word written several ways compares equal. It is for keys, never for display.
"""

import re
import unicodedata

from jarida.core.text import clean_text

# Harakat, tanween, shadda, sukun, superscript alef, Quranic annotation marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_FOLDS = str.maketrans(
    {
        "\u0640": None,  # tatweel
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ة": "ه",
        # Hamza on its seats and alone: مسؤول/مسئول, شيء/شي are written both ways.
        "ؤ": "و",
        "ئ": "ي",
        "ء": None,
        # Persian and Urdu letter forms typed on non-Arabic keyboards.
        "ک": "ك",
        "ی": "ي",
        "ې": "ي",
        "ۀ": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ە": "ه",
        # Arabic-Indic and Persian digits.
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "٫": ".",
        "٬": ",",
    }
)
# str.translate looks every character up in the table (slow on long Arabic texts); a
# character class finds the few that fold and the table is consulted only for those.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _FOLDS) + "]")


def _fold(match: re.Match) -> str:
    return _FOLDS[ord(match.group())] or ""


# Runs of letters, or of digits (`2.16متراً` gives 2, 16, مترا); `_` is never a word.
# Letters first: most tokens are words (the two branches never start on the same
# character, so the order changes no match, only the time).
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")


def normalize(text: str) -> str:
    """Fold hamza forms and seats, ى/ي, ة/ه, tatweel, tashkeel, Persian letters, digits, case."""
    # NFKC turns presentation forms (ﻻ, ﷲ) into plain letters before folding.
    text = unicodedata.normalize("NFKC", clean_text(text))
    # مسئول/مسؤول, شئون/شؤون: hamza seated on ya before waw is the waw-seated spelling.
    text = _FOLDABLE.sub(_fold, _DIACRITICS.sub("", text).replace("ئو", "ؤو"))
    return text.casefold()


def tokenize(text: str) -> list[str]:
    """Normalised word tokens (letters and digits); punctuation and operators dropped."""
    return TOKEN_RE.findall(normalize(text))
