"""What every API answer shares: cacheable reads with ETags, JSON errors, the schema."""

import pytest

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/articles",
    "/api/v1/articles/{article}",
    "/api/v1/articles/{article}/comments",
    "/api/v1/sections",
    "/api/v1/contributors",
    "/api/v1/search?q=دجلة",
]
#: Reads whose changes are purged by key (docs/caching.md).
KEYED = READS[:3]


@pytest.mark.parametrize("url", READS)
def test_reads_are_cacheable_and_answer_304_to_their_etag(client, paper, url):
    keyed = url in KEYED
    url = url.format(article=paper["published"][0].pk)
    response = client.get(url)
    assert response.status_code == 200
    if keyed:
        # Purged by surrogate key after every change: the edge may keep them longer.
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=60"
        keys = response["Surrogate-Key"].split()
        assert any(k.startswith(("article-", "comments-")) for k in keys), keys
        assert "all" in keys and response["Cache-Tag"].split(",") == keys
    else:
        assert response["Cache-Control"] == "public, max-age=60"
        assert "Surrogate-Key" not in response
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert not response.cookies


def test_etag_changes_when_the_content_does(client, paper):
    before = client.get("/api/v1/articles")["ETag"]
    story = paper["published"][1]
    story.title = "عنوان جديد"
    story.save()
    assert client.get("/api/v1/articles")["ETag"] != before


def test_errors_are_json_with_a_message_and_not_cached(client, paper):
    for url, status in [
        ("/api/v1/articles/424242", 404),
        ("/api/v1/articles?limit=1000", 422),
        ("/api/v1/nothing-here", 404),
        ("/api/v2/articles", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["message"], url
        assert "ETag" not in response


def test_arabic_is_sent_as_utf8_not_escapes(client, paper):
    raw = client.get("/api/v1/sections").content
    assert "سياسية".encode() in raw and b"\\u0633" not in raw


def test_lone_surrogates_in_json_are_refused_not_stored(client, paper):
    article = paper["published"][0]
    response = client.post(
        f"/api/v1/articles/{article.pk}/comments",
        '{"text": "\\ud800 نص"}',
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["message"]


def test_openapi_schema_documents_every_endpoint(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/comments",
        "/api/v1/sections",
        "/api/v1/contributors",
        "/api/v1/search",
    } <= set(paths)
    assert {"get", "post"} <= set(paths["/api/v1/articles/{article_id}/comments"])
    names = {p["name"] for p in paths["/api/v1/articles"]["get"]["parameters"]}
    assert {"section", "tag", "contributor", "from", "to", "cursor", "limit"} <= names
    posted = paths["/api/v1/articles/{article_id}/comments"]["post"]["responses"]
    assert {"201", "400", "403", "404", "409", "422", "429"} <= set(posted)
