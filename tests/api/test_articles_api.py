"""GET /api/v1/articles (filters, cursor), /articles/{id}, /sections, /contributors."""

from datetime import datetime

import pytest

from jarida.articles.models import Article

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_list_answers_the_documented_shape(client, paper):
    body = client.get("/api/v1/articles").json()
    assert set(body) == {"results", "next"} and body["next"] is None
    first = body["results"][0]
    story = paper["published"][0]
    assert first["id"] == story.pk and first["url"] == story.get_absolute_url()
    assert first["section"] == {"slug": "politics", "name": "سياسية", "url": "/politics/"}
    assert first["published_at"] == "2026-03-01T11:00:00+03:00"
    assert datetime.fromisoformat(first["updated_at"]) >= datetime.fromisoformat(
        first["published_at"]
    )
    assert [(b["name"], b["role"], b["label"]) for b in first["bylines"]] == [
        ("سلمى الجبوري", "author", "بقلم"),
        ("حامد أحمد", "translator", "ترجمة"),
    ]
    assert first["image"]["url"].startswith("/media/") and first["image"]["width"] == 120
    assert first["excerpt"] == story.summary


def test_list_filters_by_section_tag_contributor_and_dates(client, paper):
    politics, economy, drought = (a.pk for a in paper["published"])
    get = lambda **params: _ids(client.get("/api/v1/articles", params))  # noqa: E731
    assert get() == [politics, economy, drought]
    assert get(section="politics") == [politics, drought]
    assert get(section="economy") == [economy]
    assert get(tag=paper["tag"].slug) == [politics, drought]
    assert get(contributor=paper["translator"].slug) == [politics, drought]
    assert get(contributor=paper["reporter"].slug, section="economy") == [economy]
    # Baghdad days: 60 hours before noon on 1 March is midnight starting 27 February.
    assert get(**{"from": "2026-02-28"}) == [politics, economy]
    assert get(to="2026-02-26") == []
    assert get(**{"from": "2026-02-27", "to": "2026-02-27"}) == [drought]
    assert get(section="nowhere") == [] and get(contributor="\x00") == []


def test_cursor_walks_every_story_once_newest_first(client, make_article):
    stories = [make_article() for _ in range(7)]  # same time: the id breaks the tie
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get("/api/v1/articles", params).json()
        seen += [item["id"] for item in body["results"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == sorted((s.pk for s in stories), reverse=True)
    # A cursor stays valid while newer stories are published above it.
    first = client.get("/api/v1/articles", {"limit": 3}).json()
    make_article(published_at=datetime.fromisoformat("2026-02-01T10:00:00+03:00"))
    after = client.get("/api/v1/articles", {"limit": 3, "cursor": first["next"]}).json()
    assert [i["id"] for i in after["results"]] == seen[3:6]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "ten"},
        {"from": "yesterday"},
        {"cursor": "not-a-cursor"},
        {"cursor": "MjAyNi0wMy0wMVQxMTowMDowMHxh"},  # "2026-03-01T11:00:00|a"
    ],
)
def test_invalid_parameters_answer_422_with_a_message(client, params):
    response = client.get("/api/v1/articles", params)
    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid parameters")


def test_article_detail_has_body_bylines_source_tags_and_related(client, seed_article, seed_data):
    body = client.get(f"/api/v1/articles/{seed_article.pk}").json()
    assert body["id"] == seed_article.pk and body["body"] == seed_article.body
    assert [(b["name"], b["role"]) for b in body["bylines"]] == [("حامد أحمد", "translator")]
    assert body["source"] == {
        "agency": "اسوشيتدبرس",
        "agency_en": seed_data["source"]["agency_en"],
        "url": None,
    }
    assert body["published_at"] == "2020-02-09T20:48:00+03:00"
    assert body["related"] == [] and body["tags"] == []
    assert body["comments_open"] is True
    assert body["comments_url"] == f"/api/v1/articles/{seed_article.pk}/comments"


@pytest.mark.parametrize("article_id", ["999999", "0", "-3", str(2**70), "abc"])
def test_unknown_ids_answer_json_errors(client, paper, article_id):
    response = client.get(f"/api/v1/articles/{article_id}")
    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["message"]


def test_sections_and_contributors(client, paper):
    sections = client.get("/api/v1/sections").json()
    assert [s["slug"] for s in sections] == ["politics", "economy"]
    assert sections[0]["feed_url"] == "/politics/feed/"
    people = client.get("/api/v1/contributors").json()
    assert people["total"] == 2
    by_name = {p["name"]: p for p in people["results"]}
    assert by_name["سلمى الجبوري"]["articles"] == 2
    assert by_name["حامد أحمد"]["articles"] == 2
    assert "email" not in str(people)
    page = client.get("/api/v1/contributors", {"limit": 1, "offset": 1}).json()
    assert len(page["results"]) == 1 and page["total"] == 2


def test_contributor_with_only_a_scheduled_story_is_not_listed(client, paper, make_article):
    from jarida.articles import services

    debut = services.contributor_named("كاتب جديد")
    make_article(
        bylines=[services.BylineSpec(debut)],
        published_at=datetime.fromisoformat("2026-03-02T09:00:00+03:00"),
    )
    names = [p["name"] for p in client.get("/api/v1/contributors").json()["results"]]
    assert "كاتب جديد" not in names


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/articles", 2),  # articles (section, image joined) + bylines
        ("/api/v1/articles?contributor={reporter}&tag={tag}", 2),  # filters are joins
        ("/api/v1/articles/{article}", 3),  # article + bylines + tags
        ("/api/v1/sections", 0),  # the cached section menu
        ("/api/v1/contributors", 2),  # page + total
        ("/api/v1/articles/{article}/comments", 2),  # article + the thread
    ],
)
def test_api_reads_cost_a_fixed_number_of_queries(
    client, paper, django_assert_num_queries, url, queries
):
    url = url.format(
        reporter=paper["reporter"].slug, tag=paper["tag"].slug, article=paper["published"][0].pk
    )
    client.get(url)  # warm the site settings and section menu caches
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_list_query_count_does_not_grow_with_the_page(
    client, make_article, django_assert_num_queries
):
    for _ in range(30):
        make_article()
    client.get("/api/v1/articles")
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/articles?limit=100").json()["results"]) == 30
    assert Article.objects.count() == 30


@pytest.mark.parametrize("cursor", ["A" * 22, "_" * 22, "z" * 22, "-" * 22, "f" * 22])
def test_every_well_formed_cursor_is_a_position(client, paper, cursor):
    response = client.get("/api/v1/articles", {"cursor": cursor})
    assert response.status_code == 200
    assert set(response.json()) == {"results", "next"}


def test_dates_must_be_written_as_iso_dates(client, paper):
    assert client.get("/api/v1/articles", {"to": "0"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "x", "from": "1700000000"}).status_code == 422


@pytest.mark.parametrize("url", ["/api/v1/articles", "/api/v1/search?q=دجلة"])
@pytest.mark.parametrize("bound", ["from", "to"])
@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31"])
def test_the_calendars_ends_are_dates_like_any_other(client, paper, url, bound, day):
    # Midnight of 1 January of year 1 in Baghdad is still year 0 in UTC: no overflow.
    response = client.get(url, {bound: day})
    assert response.status_code == 200, response.content
