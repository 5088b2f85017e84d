import pytest

pytestmark = pytest.mark.django_db

BODY = "قال المسؤولون إن الأزمة ستنتهي."


@pytest.fixture
def stories(make_article):
    return [
        make_article(
            title=f"انقطاع الكهرباء في البصرة رقم {n}",
            body="<p>قال المسؤولون إن الأزمة ستنتهي.</p>",
        )
        for n in range(12)
    ]


def test_search_page_highlights_original_words(client, stories):
    response = client.get("/search/", {"q": "الكهرباء البصره"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>الكهرباء</mark>" in html and "<mark>البصرة</mark>" in html
    assert "12 نتيجة" in html
    assert 'rel="next"' in html


def test_no_results_page_is_arabic(client, stories):
    html = client.get("/search/", {"q": "زلزال"}).content.decode()
    assert "لا نتائج لـ «زلزال»" in html


def test_header_has_a_search_box(client, stories):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/search/"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "ب" * 10_000},
        {"q": '" * ^ : - ( ) AND OR NOT NEAR'},
        {"q": "الكهرباء", "date_from": "not-a-date"},
        {"q": "الكهرباء", "date_from": "2026-05-01", "date_to": "2026-01-01"},
        {"q": "الكهرباء", "page": "-3"},
        {"q": "الكهرباء", "page": "99999"},
        {"q": "الكهرباء", "section": "no-such-section"},
        {"q": "الكهرباء", "sort": "random"},
    ],
)
def test_bad_input_renders_a_normal_page(client, stories, params):
    response = client.get("/search/", params)
    assert response.status_code == 200


def test_dates_with_arabic_indic_digits(client, stories):
    response = client.get("/search/", {"q": "الكهرباء", "date_from": "٢٠٢٥-١٢-٣١"})
    assert response.status_code == 200
    assert "12 نتيجة" in response.content.decode()


def test_search_page_query_count(client, stories, django_assert_num_queries):
    client.get("/search/", {"q": "الكهرباء"})
    # The words' frequencies (and the documents' number and lengths), best matches with
    # their dates from the index entries (counted apart only when they fill the window),
    # the best matches' term counts for the shared ranking (which also tell whether one
    # holds the word in its title), the page's articles, their bylines.
    with django_assert_num_queries(5):
        client.get("/search/", {"q": "الكهرباء"})


def test_filters_keep_the_readers_choices_and_point_to_their_errors(client, stories):
    section = stories[0].section
    html = client.get(
        "/search/",
        {"q": "الكهرباء", "section": section.slug, "date_from": "ليس تاريخًا", "sort": "newest"},
    ).content.decode()
    assert f'<option value="{section.slug}" selected>{section.name}</option>' in html
    assert '<option value="newest" selected>' in html
    assert 'value="ليس تاريخًا"' in html
    # The error is announced with its field: aria-describedby names the message's id.
    assert 'aria-invalid="true" aria-describedby="id_date_from_error"' in html
    assert '<span class="field-error" id="id_date_from_error">' in html
    assert html.count("aria-invalid") == 1
