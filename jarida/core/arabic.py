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
_TOKEN = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Fold hamza forms, ى/ي, ة/ه, tatweel, tashkeel, Persian letters, digits, case."""
    # NFKC turns presentation forms (ﻻ, ﷲ) into plain letters before folding.
    text = unicodedata.normalize("NFKC", clean_text(text))
    text = _DIACRITICS.sub("", text).translate(_FOLDS)
    return text.casefold()


def tokenize(text: str) -> list[str]:
    """Normalised word tokens (letters and digits); punctuation and operators dropped."""
    return _TOKEN.findall(normalize(text).replace("_", " "))
