"""Hostile text typed into any field reaches a feed reader as text, never as markup.

Feed readers render some elements as HTML (RSS `title` and `description`, Atom `summary`
and `content` of type html, JSON Feed `content_html`): each is parsed here as a browser
would parse it, and must hold no script and no event-handler attribute.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html

from jarida.articles import services
from jarida.articles.models import Article, Section
from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db

HOSTILE = {
    "tagline": "<script>alert('tagline')</script>",
    "section description": '<img src=x onerror="alert(1)">',
    "title": "<b onmouseover=alert(2)>عنوان</b> <script>alert(2)</script>",
    "summary": "<script>alert(3)</script><img src=x onerror=alert(3)>",
    "tag": "<svg onload=alert(4)>",
    "writer": "<script>alert(5)</script>",
}
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile_paper():
    site = SiteSettings.load()
    site.tagline = HOSTILE["tagline"]
    site.save()
    section = Section.objects.create(
        name="سياسية", slug="politics", description=HOSTILE["section description"]
    )
    writer = services.contributor_named(HOSTILE["writer"])
    article = services.save_article(
        Article(
            title=HOSTILE["title"],
            summary=HOSTILE["summary"],
            body="<p>نص <script>alert(6)</script></p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(hours=1),
        ),
        bylines=[services.BylineSpec(writer)],
        tags=services.tags_named([HOSTILE["tag"]]),
    )
    tag = article.tags.get()
    return ["/feed/", "/politics/feed/", f"/tags/{tag.slug}/feed/", f"/writers/{writer.slug}/feed/"]


def live_markup(fragment: str) -> list[str]:
    """What a browser would run in this HTML: script elements and on* attributes."""
    if not fragment.strip():
        return []
    found = []
    for element in lxml_html.fragments_fromstring(f"<div>{fragment}</div>")[0].iter():
        if element.tag in ("script", "svg", "iframe", "object"):
            found.append(element.tag)
        found += [name for name in element.attrib if name.lower().startswith("on")]
    return found


def html_fields(content_type: str, body: bytes) -> list[str]:
    """The feed's fields that readers render as HTML, as the reader receives them."""
    if "json" in content_type:
        feed = json.loads(body)
        return [item["content_html"] for item in feed["items"] if "content_html" in item]
    root = etree.fromstring(body)
    if root.tag == f"{ATOM}feed":
        return [element.text or "" for element in root.iter() if element.get("type") == "html"]
    wanted = {"title", "description", "{http://purl.org/rss/1.0/modules/content/}encoded"}
    return [element.text or "" for element in root.iter() if element.tag in wanted]


@pytest.mark.parametrize("full_text", [True, False])
@pytest.mark.parametrize("kind", ["", "atom/", "json/"])
def test_no_field_turns_into_live_markup_in_any_feed(client, hostile_paper, kind, full_text):
    site = SiteSettings.load()
    site.feed_full_content = full_text
    site.save()
    for url in hostile_paper:
        response = client.get(url + kind)
        assert response.status_code == 200, url
        fields = html_fields(response["Content-Type"], response.content)
        assert fields or (kind == "json/" and not full_text), url  # JSON summaries: text
        for field in fields:
            assert live_markup(field) == [], (url + kind, field)


def test_the_hostile_text_is_still_there_as_text(client, hostile_paper):
    """Escaping, not deleting: a reader sees what the editor typed."""
    body = client.get("/feed/").content
    titles = [e.text for e in etree.fromstring(body).iter("title")]
    assert any(lxml_html.fromstring(t).text_content() == HOSTILE["title"] for t in titles)
