import pytest

from jarida.core.arabic import normalize, tokenize


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("أكثـــــر", "اكثر"),
        ("تعاوناً", "تعاونا"),
        ("إيران", "ايران"),
        ("آذار", "اذار"),
        ("ٱلله", "الله"),
        ("مستشفى", "مستشفي"),
        ("مسؤول", "مسوول"),
        ("مسئول", "مسوول"),
        ("شيء", "شي"),
        ("المدرسة", "المدرسه"),
        ("کتاب", "كتاب"),
        ("فارسی", "فارسي"),
        ("٢٠٢٠", "2020"),
        ("۲۰۲۰", "2020"),
        ("\ufefb", "لا"),  # presentation form of لا
        ("عر\u200bاق", "عراق"),
        ("\u202eبغداد", "بغداد"),
        ("\uf06fترجمة", "ترجمه"),
        ("CNN", "cnn"),
        ("بَغْدَادُ", "بغداد"),
    ],
)
def test_normalize_folds_spelling_variants(variant, plain):
    assert normalize(variant) == plain


def test_harakat_stacked_deep_are_all_removed():
    assert normalize("ب" + "\u064e" * 50 + "اب") == "باب"


def test_tokenize_drops_operators_and_punctuation():
    assert tokenize('"الأميركية" AND (NEAR* -داعش:)') == ["الاميركيه", "and", "near", "داعش"]
    assert tokenize("ـــ \u064e\u064e") == []
    assert tokenize("٣ كانون الثاني 2020") == ["3", "كانون", "الثاني", "2020"]
