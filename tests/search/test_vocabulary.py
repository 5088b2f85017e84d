"""The index's vocabulary: spelling skeletons and document frequencies kept in step."""

import pytest

from jarida.articles import services as articles
from jarida.search import vocabulary
from jarida.search.analysis import analyze
from jarida.search.vocabulary import skeleton


def skel(word: str) -> str:
    return skeleton(analyze(word)[0])


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("انترنت", "انترنيت"),  # a long vowel written or not
        ("فيديو", "ڤيديو"),  # v as ف or ڤ
        ("بيتزا", "پيتزا"),  # p as ب or پ
        ("جيجابايت", "غيغابايت"),  # g as ج, غ, ق or ك
        ("جيجابايت", "قيقابايت"),
        ("تشيلي", "شيلي"),  # ch as تش or ش
        ("فيللا", "فيلا"),  # doubled letters
        ("مصنع", "مصانع"),  # broken plurals of the فعالل patterns lose only a long vowel
    ],
)
def test_spelling_variants_share_a_skeleton(one, other):
    assert skel(one) == skel(other)


@pytest.mark.parametrize(("one", "other"), [("بغداد", "بيروت"), ("سوريا", "روسيا")])
def test_different_words_keep_different_skeletons(one, other):
    assert skel(one) != skel(other)


def test_skeleton_leaves_digits_and_latin_alone():
    assert skeleton("2020") == "2020" and skeleton("covid") == "covid" and skeleton("") == ""


@pytest.mark.django_db
def test_frequencies_follow_save_edit_and_delete(
    make_article, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_article(title="مهرجان التمور في القصيم", body="<p>مهرجان سنوي</p>")
        make_article(title="مهرجان الزهور في تبوك", body="<p>زهور</p>")
    term, dates = analyze("مهرجان")[0], analyze("التمور")[0]
    assert vocabulary.frequencies([term, dates]) == {term: 2, dates: 1}
    assert vocabulary.document_count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "معرض الكتاب في القصيم"
        first.body = "<p>معرض</p>"
        articles.save_article(first)
        run_tasks()
    assert vocabulary.frequencies([term, dates]) == {term: 1}
    assert vocabulary.document_count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert vocabulary.frequencies([analyze("معرض")[0]]) == {}
    assert vocabulary.document_count() == 1


@pytest.mark.django_db
def test_summed_lengths_follow_save_edit_and_delete(
    make_article, django_capture_on_commit_callbacks, run_tasks
):
    def lengths():
        return vocabulary.frequencies([vocabulary.LENGTHS]).get(vocabulary.LENGTHS, 0)

    def distinct(*texts):
        return len(set(analyze(" ".join(texts))))

    with django_capture_on_commit_callbacks(execute=True):
        first = make_article(title="مهرجان التمور في القصيم", body="<p>مهرجان سنوي</p>")
        make_article(title="مهرجان الزهور في تبوك", body="<p>زهور</p>")
    second = distinct("مهرجان الزهور في تبوك", "زهور")
    assert lengths() == distinct("مهرجان التمور في القصيم", "مهرجان سنوي") + second
    with django_capture_on_commit_callbacks(execute=True):
        first.title = "معرض الكتاب السنوي الأول في القصيم"
        articles.save_article(first)
        run_tasks()
    assert lengths() == distinct("معرض الكتاب السنوي الأول في القصيم", "مهرجان سنوي") + second
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert lengths() == second
    assert vocabulary.mean_length(lengths(), vocabulary.document_count()) == second


@pytest.mark.django_db
def test_same_skeleton_finds_the_other_spelling(make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="أسعار الانترنيت في العراق")
    found = vocabulary.same_skeleton(analyze("انترنت"))
    assert [term for term, _ in found[skel("انترنت")]] == analyze("انترنيت")


def test_idf_is_higher_for_rarer_terms():
    assert vocabulary.idf(1, 1000) > vocabulary.idf(100, 1000) > vocabulary.idf(900, 1000) >= 0
