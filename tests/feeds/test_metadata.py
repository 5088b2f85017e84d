"""Reader pages' metadata as extruct (a real structured-data client) reads it."""

from datetime import datetime

import extruct
import pytest

pytestmark = pytest.mark.django_db


def _extract(client, url) -> tuple[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    data = extruct.extract(
        html, base_url="http://testserver" + url, syntaxes=["json-ld", "opengraph", "microdata"]
    )
    return html, data


def _og(data) -> dict[str, list[str]]:
    properties: dict[str, list[str]] = {}
    for block in data["opengraph"]:
        for name, value in block["properties"]:
            properties.setdefault(name, []).append(value)
    return properties


def _typed(data, kind) -> dict:
    (found,) = [item for item in data["json-ld"] if item["@type"] == kind]
    return found


def test_seed_article_json_ld_and_open_graph(client, seed_article, seed_data):
    url = seed_article.get_absolute_url()
    canonical = "http://testserver" + url
    html, data = _extract(client, url)

    news = _typed(data, "NewsArticle")
    assert news["headline"] == seed_data["title"]
    assert news["url"] == canonical and news["mainEntityOfPage"]["@id"] == canonical
    assert news["inLanguage"] == "ar"
    published = datetime.fromisoformat(news["datePublished"])
    assert published == datetime.fromisoformat(seed_data["published_at"])
    assert news["datePublished"].endswith("+03:00")
    assert datetime.fromisoformat(news["dateModified"]) >= published
    assert news["articleSection"] == "سياسية"
    assert news["isAccessibleForFree"] is True
    assert news["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": seed_data["site_name"],
        "url": "http://testserver/",
    }
    # The seed page credits a translator and no writer: the paper stands as author.
    assert news["author"] == [news["publisher"]]
    translator = {
        "@type": "Person",
        "name": "حامد أحمد",
        "url": "http://testserver" + seed_article.bylines.get().contributor.get_absolute_url(),
    }
    assert news["contributor"] == [translator] and news["translator"] == [translator]
    assert news["sourceOrganization"]["name"] == "اسوشيتدبرس"

    crumbs = _typed(data, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == seed_data["breadcrumb"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == canonical
    assert not data["microdata"], "one BreadcrumbList only: JSON-LD, no microdata twin"

    og = _og(data)
    assert og["og:type"] == ["article"] and og["og:locale"] == ["ar_AR"]
    assert og["og:title"] == [seed_data["title"]] and og["og:url"] == [canonical]
    assert og["og:site_name"] == [seed_data["site_name"]]
    assert og["article:section"] == ["سياسية"]
    assert og["article:published_time"] == [news["datePublished"]]
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert "hreflang" not in html  # one language: no alternates to name
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<html lang="ar" dir="rtl">' in html


def test_article_with_writer_tags_and_picture(client, paper):
    story = paper["published"][0]
    html, data = _extract(client, story.get_absolute_url())
    news = _typed(data, "NewsArticle")
    reporter = "http://testserver" + paper["reporter"].get_absolute_url()
    assert news["author"] == [{"@type": "Person", "name": "سلمى الجبوري", "url": reporter}]
    assert [p["name"] for p in news["translator"]] == ["حامد أحمد"]
    assert news["keywords"] == ["المياه"] and news["dateline"] == "بغداد"
    image = news["image"]
    assert image["url"].startswith("http://testserver/media/")
    assert (image["width"], image["height"]) == (120, 80)
    assert image["creditText"] == "تصوير: علي"
    og = _og(data)
    assert og["og:image"] == [image["url"]]
    assert og["og:image:alt"] == ["نهر دجلة عند بغداد"]
    assert og["article:author"] == [reporter]
    assert og["article:tag"] == ["المياه"]
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    # X falls back to Open Graph for the rest; the page does not say it all twice.
    assert "twitter:image" not in html and "twitter:title" not in html


def test_json_ld_cannot_be_closed_by_a_title(client, make_article):
    story = make_article(title="عنوان </script><script>alert(1)</script> & <!--")
    html, data = _extract(client, story.get_absolute_url())
    assert "</script><script>alert(1)" not in html
    assert _typed(data, "NewsArticle")["headline"] == story.title


@pytest.mark.parametrize(
    ("url", "og_type"),
    [
        ("/", "website"),
        ("/politics/", "website"),
        ("/writers/{w}/", "profile"),
        ("/tags/{t}/", "website"),
    ],
)
def test_every_listing_page_has_canonical_open_graph_and_twitter(client, paper, url, og_type):
    url = url.format(
        w=paper["reporter"].get_absolute_url().split("/")[2],
        t=paper["tag"].get_absolute_url().split("/")[2],
    )
    html, data = _extract(client, url)
    og = _og(data)
    assert og["og:type"] == [og_type] and og["og:locale"] == ["ar_AR"]
    assert og["og:url"] == ["http://testserver" + url]
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert '<meta name="twitter:card"' in html
    assert data["json-ld"]


def test_home_declares_the_site_and_its_search(client, paper):
    _, data = _extract(client, "/")
    site = _typed(data, "WebSite")
    assert site["url"] == "http://testserver/" and site["inLanguage"] == "ar"
    assert site["potentialAction"]["target"]["urlTemplate"].startswith("http://testserver/search/")


def test_section_breadcrumb(client, paper):
    _, data = _extract(client, "/politics/")
    crumbs = _typed(data, "BreadcrumbList")["itemListElement"]
    assert [c["item"] for c in crumbs] == ["http://testserver/", "http://testserver/politics/"]


def test_archives_link_their_neighbour_pages_in_the_head(client, make_article, monkeypatch):
    monkeypatch.setattr("jarida.reader.views.ARCHIVE_PAGE_SIZE", 2)
    for _ in range(5):
        make_article()
    first = client.get("/local/").content.decode()
    assert '<link rel="next" href="http://testserver/local/?page=2">' in first
    assert 'rel="prev"' not in first.split("</head>")[0]
    middle = client.get("/local/?page=2").content.decode()
    head = middle.split("</head>")[0]
    assert '<link rel="prev" href="http://testserver/local/">' in head
    assert '<link rel="next" href="http://testserver/local/?page=3">' in head
    assert '<link rel="canonical" href="http://testserver/local/?page=2">' in head
    last = client.get("/local/?page=3").content.decode().split("</head>")[0]
    assert 'rel="next"' not in last


def test_https_deployments_get_https_urls(client, seed_article):
    response = client.get(seed_article.get_absolute_url(), secure=True)
    assert '<link rel="canonical" href="https://testserver/' in response.content.decode()


def test_pages_advertise_their_feeds(client, paper):
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'href="/feed/"' in home
    section = client.get("/politics/").content.decode()
    assert 'href="/politics/feed/"' in section
