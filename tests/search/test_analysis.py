import pytest

from jarida.search.analysis import analyze, query_terms


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("أكثر", "أكثـــر"),  # tatweel (the seed's أكثـر)
        ("تعاوناً", "تعاونا"),  # tanween
        ("تعاوناً", "تعاون"),
        ("الإمارات", "الامارات"),  # hamza
        ("الأميركية", "الاميركيه"),  # hamza and ة/ه
        ("مستشفى", "مستشفي"),  # ى/ي
        ("الحكومة", "والحكومة"),  # clitics
        ("الحكومة", "بالحكومة"),
        ("الحكومة", "للحكومة"),
        ("الجامعة", "الجامعات"),  # sound plurals
        ("المسؤول", "المسؤولين"),
        ("مسؤول", "مسئول"),  # hamza seat
        ("الأميركية", "الأمريكي"),  # loanwords, as on the seed page
        ("الاستراتيجية", "الستراتيجية"),
        ("اسوشيتدبرس", "اسوشييتدبرس"),
        ("فيسبوك", "فيس بوك"),
        ("2020", "٢٠٢٠"),  # digits
        ("2020", "۲۰۲۰"),
        ("بغداد", "بَغْدَادُ"),  # tashkeel
        ("كتاب", "کتاب"),  # Persian kaf
        ("والحكومة", "و الحكومة"),  # a conjunction written apart
        ("لبغداد", "لـ بغداد"),  # a preposition written apart, with tatweel
    ],
)
def test_spelling_variants_analyse_to_the_same_terms(one, other):
    assert analyze(one) == analyze(other)


def test_different_words_stay_different():
    assert analyze("بغداد") != analyze("البصرة")
    assert analyze("سوريا") != analyze("روسيا")


def test_query_terms_are_distinct_and_bounded():
    assert query_terms("الحكومة والحكومة بالحكومة") == ["حكوم"]
    assert len(query_terms(" ".join(f"كلمة{i}" for i in range(100)))) == 32


@pytest.mark.parametrize(
    "query",
    ['"', "*", "^", ":", "-", "(", ")", "AND", "NEAR(", "( OR )", "ـــ", "\u064e\u064f", "", "   "],
)
def test_operator_characters_never_become_terms(query):
    terms = query_terms(query)
    assert all(term.isalnum() for term in terms)
    assert not set('"*^:-()') & set("".join(terms))


def test_a_detached_letter_joins_only_a_following_word():
    assert analyze("ب 23") == ["ب", "23"]
    assert analyze("الحكومة و") == ["حكوم", "و"]
