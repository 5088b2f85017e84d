"""A page served from the page cache keeps a CSP nonce that matches its policy header."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_pages(settings):
    settings.ROOT_URLCONF = "tests.reader.csp_urls"
    settings.JARIDA_PAGE_CACHE_SECONDS = 300


def body_nonce(response) -> str:
    return re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)


def header_nonces(response) -> list[str]:
    return re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])


def test_a_cached_page_is_served_with_the_nonce_it_was_rendered_with(client, cached_pages):
    first = client.get("/csp-test/nonce/")
    nonce = body_nonce(first)
    assert nonce and set(header_nonces(first)) == {nonce}
    for _ in range(2):
        again = client.get("/csp-test/nonce/")
        assert body_nonce(again) == nonce  # the very page from the cache
        assert set(header_nonces(again)) == {nonce}
        assert "unsafe-inline" not in again["Content-Security-Policy"]


def test_without_the_page_cache_every_answer_has_a_fresh_matching_nonce(client, settings):
    settings.ROOT_URLCONF = "tests.reader.csp_urls"
    settings.JARIDA_PAGE_CACHE_SECONDS = 0
    first, second = client.get("/csp-test/nonce/"), client.get("/csp-test/nonce/")
    assert body_nonce(first) != body_nonce(second)
    for response in (first, second):
        assert set(header_nonces(response)) == {body_nonce(response)}


def test_a_page_without_a_nonce_gets_a_policy_without_one(client, cached_pages):
    for _ in range(2):
        response = client.get("/csp-test/plain/")
        assert header_nonces(response) == []
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_reader_pages_from_the_cache_carry_a_strict_policy(client, cached_pages, make_article):
    article = make_article()
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        policy = response["Content-Security-Policy"]
        assert response.status_code == 200 and "unsafe-inline" not in policy
        # A nonce in the policy is only ever one the page itself carries.
        assert all(f'nonce="{n}"' in response.content.decode() for n in header_nonces(response))
