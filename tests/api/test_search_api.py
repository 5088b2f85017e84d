from datetime import datetime

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(make_article):
    return [
        make_article(title=f"انقطاع الكهرباء في البصرة رقم {n}", summary=f"موجز رقم {n}")
        for n in range(15)
    ]


def test_search_answers_the_documented_shape(client, stories, seed_article):
    response = client.get("/api/v1/search", {"q": "الكهرباء", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"results", "total"} and body["total"] == 15
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) == {"id", "title", "url", "published_at", "section", "excerpt", "sponsored"}
    assert first["url"].startswith("/local/") and first["url"].endswith("/")
    assert datetime.fromisoformat(first["published_at"]).utcoffset() is not None
    assert first["published_at"].endswith("+03:00")
    seed = client.get("/api/v1/search", {"q": "اسوشييتدبرس"}).json()
    assert [r["id"] for r in seed["results"]] == [seed_article.pk]
    assert seed["results"][0]["section"] == "سياسية"


def test_limit_offset_and_filters(client, stories):
    page = client.get("/api/v1/search", {"q": "الكهرباء", "limit": 10, "offset": 10}).json()
    assert len(page["results"]) == 5 and page["total"] == 15
    none = client.get("/api/v1/search", {"q": "الكهرباء", "section": "sports"}).json()
    assert none == {"results": [], "total": 0}
    dated = client.get("/api/v1/search", {"q": "الكهرباء", "from": "2027-01-01"}).json()
    assert dated["total"] == 0


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"from": "yesterday"}],
)
def test_invalid_parameters_answer_422_with_a_message(client, params):
    response = client.get("/api/v1/search", {"q": "x", **params})
    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid parameters")


@pytest.mark.parametrize("q", ["", "%00", "\x00", '" * NEAR( OR', "ب" * 5000])
def test_odd_queries_answer_200(client, stories, q):
    response = client.get("/api/v1/search", {"q": q})
    assert response.status_code == 200
    assert response.json()["total"] >= 0


def test_openapi_schema_documents_search(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/search" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "limit", "offset", "section", "from", "to"} <= names
