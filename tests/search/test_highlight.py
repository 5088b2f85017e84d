from jarida.search.analysis import query_terms
from jarida.search.highlight import highlight


def test_marks_the_words_as_written_not_the_stems():
    text = "وقال المسؤولون في الحكومةِ إن أكثـر المشاريع تأخرت"
    html = highlight(text, query_terms("مسؤول حكومه اكثر"))
    assert "<mark>المسؤولون</mark>" in html
    assert "<mark>الحكومةِ</mark>" in html
    assert "<mark>أكثـر</mark>" in html
    assert "<mark>المشاريع</mark>" not in html


def test_escapes_everything_else():
    html = highlight("<script>alert(1)</script> الكهرباء", query_terms("الكهرباء"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>الكهرباء</mark>" in html


def test_snippet_window_centres_on_the_matches():
    words = ["كلمة"] * 100 + ["الكهرباء"] + ["نص"] * 100
    html = highlight(" ".join(words), query_terms("الكهرباء"), max_words=20)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>الكهرباء</mark>" in html
    assert len(html.split()) < 30
