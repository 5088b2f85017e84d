"""Hostile text typed into every editable field reaches every output as text, never as code.

Issue 15 item 4, beyond the feeds (tests/feeds/test_feed_escaping.py): the reader pages'
HTML, their JSON-LD, the JSON API and e-mail. Each output is parsed as its consumer would
parse it: HTML as a browser builds its DOM, JSON-LD as a search engine reads the block,
the API as a client decodes JSON (and a browser opening it must not render HTML).
"""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from lxml import html as lxml_html

from jarida.accounts.models import Contributor
from jarida.articles import services
from jarida.articles.models import Agency, Article, Section
from jarida.comments.models import Comment
from jarida.core.models import SiteSettings
from jarida.reader.head_script import SCRIPT as HEAD_SCRIPT

pytestmark = pytest.mark.django_db

#: One payload per field; each closes the context it lands in a different way.
HOSTILE = {
    "site name": "جريدة</title><script>alert('site')</script>",
    "tagline": "<img src=x onerror=alert('tagline')>",
    "section name": '"><svg onload=alert("section")>',
    "section description": "</script><script>alert('desc')</script>",
    "title": "خبر</script><script>alert('title')</script> <!--",
    "kicker": "<iframe srcdoc='<script>alert(1)</script>'>",
    "summary": "<a href=\"javascript:alert('summary')\">اضغط</a> & {{ 7*7 }}",
    "dateline": "'; alert('dateline'); //",
    "tag": "<math><mi xlink:href=javascript:alert('tag')>x</mi></math>",
    "writer": '<script src="https://evil.example/x.js"></script>',
    "writer bio": "<body onload=alert('bio')>",
    "agency": "\u202e<b onmouseover=alert('agency')>وكالة</b>",
    "comment name": "<script>alert('name')</script>",
    "comment text": "</p><img src=x onerror=alert('comment')> {% debug %}",
}
BODY = "<p>نص <script>alert('body')</script><a href='javascript:alert(1)'>رابط</a></p>"


@pytest.fixture
def hostile(settings):
    site = SiteSettings.load()
    site.site_name = HOSTILE["site name"][:100]
    site.tagline = HOSTILE["tagline"]
    site.save()
    section = Section.objects.create(
        name=HOSTILE["section name"], slug="politics", description=HOSTILE["section description"]
    )
    writer = services.contributor_named(HOSTILE["writer"])
    Contributor.objects.filter(pk=writer.pk).update(bio=HOSTILE["writer bio"])
    Agency.objects.create(name=HOSTILE["agency"], slug="agency")
    article = services.save_article(
        Article(
            title=HOSTILE["title"],
            kicker=HOSTILE["kicker"],
            summary=HOSTILE["summary"],
            dateline=HOSTILE["dateline"],
            body=BODY,
            section=section,
            source_agency=services.agency_named(HOSTILE["agency"]),
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(hours=1),
        ),
        bylines=[services.BylineSpec(writer)],
        tags=services.tags_named([HOSTILE["tag"]]),
    )
    Comment.objects.create(
        article=article,
        text=HOSTILE["comment text"],
        name=HOSTILE["comment name"],
        status=Comment.Status.PUBLISHED,
    )
    article.refresh_from_db()
    return article


def live_code(document) -> list[str]:
    """What a browser would run: scripts other than the site's own (files, head script, JSON-LD),
    event handlers, javascript: links, frames and foreign-namespace tricks."""
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            src, kind = element.get("src", ""), element.get("type", "")
            # The site's own: its files, JSON-LD, and the head script exactly as shipped.
            own = src.startswith("/static/") or element.text == HEAD_SCRIPT
            if not (own or kind == "application/ld+json"):
                found.append(f"script {src or (element.text or '')[:40]!r}")
        elif tag in ("iframe", "object", "embed", "frame", "base", "meta") and (
            tag != "meta" or element.get("http-equiv")
        ):
            found.append(tag)
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{tag}@{name}")
            if name.lower() in ("href", "src", "action", "xlink:href") and (
                value.strip().lower().replace("\x00", "").startswith(("javascript:", "data:text"))
            ):
                found.append(f"{tag}@{name}={value[:30]}")
    return found


def reader_pages(article) -> list[str]:
    tag = article.tags.get()
    writer = article.bylines.get().contributor
    return [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        tag.get_absolute_url(),
        writer.get_absolute_url(),
        "/search/?q=خبر",
    ]


def test_reader_pages_carry_every_hostile_value_as_text_only(client, hostile):
    for path in reader_pages(hostile):
        response = client.get(path)
        assert response.status_code == 200, path
        document = lxml_html.document_fromstring(response.content.decode())
        assert live_code(document) == [], path
        assert len(document.findall(".//title")) == 1, path
    # Escaped, not lost: the article page shows what the editor typed, as text.
    page = lxml_html.document_fromstring(client.get(hostile.get_absolute_url()).content.decode())
    text = page.text_content()
    for field in ["title", "kicker", "comment text", "comment name"]:
        assert HOSTILE[field] in text, field


def json_ld_blocks(content: str) -> list[tuple[str, object]]:
    document = lxml_html.document_fromstring(content)
    return [
        (script.text, json.loads(script.text))
        for script in document.iter("script")
        if script.get("type") == "application/ld+json"
    ]


def test_json_ld_stays_one_valid_block_holding_the_exact_text(client, hostile):
    for path in reader_pages(hostile)[:4]:
        content = client.get(path).content.decode()
        blocks = json_ld_blocks(content)
        assert blocks, path
        for raw, _ in blocks:
            # Nothing in the block can end it or open a comment in the HTML parser.
            assert "<" not in raw and ">" not in raw, path
    blocks = [data for _, data in json_ld_blocks(client.get(hostile.get_absolute_url()).text)]
    flat = list(strings(blocks))
    article = next(b for b in blocks if b.get("@type") in ("NewsArticle", "Article"))
    assert article["headline"] == HOSTILE["title"]
    assert HOSTILE["writer"] in flat and HOSTILE["section name"] in flat


def api_documents(client, article) -> dict[str, object]:
    paths = [
        "/api/v1/articles",
        f"/api/v1/articles/{article.pk}",
        f"/api/v1/articles/{article.pk}/comments",
        "/api/v1/sections",
        "/api/v1/contributors",
        "/api/v1/search?q=خبر",
    ]
    documents = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        # A browser opening the API must not sniff it into HTML.
        assert response["Content-Type"].startswith("application/json"), path
        assert response["X-Content-Type-Options"] == "nosniff", path
        documents[path] = response.json()
    return documents


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_the_api_returns_text_fields_as_the_exact_text_and_html_sanitised(client, hostile):
    documents = api_documents(client, hostile)
    every = [s for doc in documents.values() for s in strings(doc)]
    for field in ["title", "kicker", "section name", "writer", "tag", "comment text"]:
        assert HOSTILE[field] in every, field  # JSON carries text as text; clients escape it
    article = documents[f"/api/v1/articles/{hostile.pk}"]
    html_fields = [v for k, v in article.items() if k.endswith("html") or k == "body"]
    assert html_fields, sorted(article)
    for fragment in html_fields:
        document = lxml_html.document_fromstring(f"<div>{fragment}</div>")
        assert live_code(document) == [], fragment


def test_the_project_sends_no_e_mail_carrying_reader_or_staff_text(client, hostile, settings):
    # No output of the project is an e-mail today (no notification, no error mail: ADMINS
    # is empty). A comment posted, an article published and a server error all leave the
    # outbox empty; the day one sends mail, this test must learn to parse it.
    settings.ADMINS = []
    client.get(hostile.get_absolute_url())
    services.save_article(
        Article(
            title=HOSTILE["title"] + " 2",
            section=hostile.section,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
    )
    client.post(
        f"/api/v1/articles/{hostile.pk}/comments",
        {"text": HOSTILE["comment text"], "name": HOSTILE["comment name"]},
        content_type="application/json",
    )
    assert mail.outbox == []
