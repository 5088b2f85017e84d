"""Every reader page in a fixed number of SQL queries, whatever the size of the paper.

Each page is counted on a paper of 3 stories and on one of 30 (every story with two
bylines, two tags and a picture): the same count on both proves no query runs per story.
"""

import io
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.utils.encoding import uri_to_iri
from PIL import Image as PILImage

from jarida.articles import services
from jarida.articles.models import Byline, Section
from jarida.media.models import Image

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-01-01T10:00:00+03:00")
SIZES = [3, 30]


@pytest.fixture(params=SIZES, ids=lambda n: f"{n}-stories")
def paper_of(request, make_article):
    """`request.param` published stories over three sections, fully dressed."""
    sections = [
        Section.objects.create(name=name, slug=slug, position=i)
        for i, (name, slug) in enumerate(
            [("سياسية", "politics"), ("اقتصاد", "economy"), ("رياضة", "sports")]
        )
    ]
    reporter = services.contributor_named("سلمى الجبوري")
    translator = services.contributor_named("حسن الموسوي")
    tags = services.tags_named(["الكهرباء", "البصرة"])
    picture = io.BytesIO()
    PILImage.new("RGB", (120, 80), "#2a6f97").save(picture, "JPEG")
    image = Image(alt_text="محطة كهرباء", caption="المحطة")
    image.file.save("station.jpg", ContentFile(picture.getvalue()), save=True)
    articles = [
        make_article(
            section=sections[n % 3],
            published_at=START + timedelta(hours=n),
            featured_image=image,
            dateline="البصرة",
            bylines=[
                services.BylineSpec(reporter),
                services.BylineSpec(translator, Byline.Role.TRANSLATOR),
            ],
            tags=tags,
        )
        for n in range(request.param)
    ]
    return {"articles": articles, "reporter": reporter, "tag": tags[0]}


SEARCH = "/search/?q=" + quote("الكهرباء")

PAGES = [
    # latest + bylines; every section's newest in one query (UNION ALL of one indexed
    # LIMIT per section; their cards print no byline)
    ("/", 3),
    ("/politics/", 3),  # count + page + bylines
    ("{article}", 4),  # article + bylines + tags + comments
    ("/writers/{reporter}/", 4),  # writer + count + page + bylines
    ("/tags/{tag}/", 4),  # tag + count + page + bylines
    ("/feed/", 3),  # articles + bylines + tags
    ("/politics/feed/", 3),
    ("/writers/{reporter}/feed/", 4),  # + the writer
    ("/sitemap.xml", 6),  # count + latest for each of the three sitemaps
    ("/sitemaps/articles.xml", 2),  # count + page
    ("/sitemap-news.xml", 1),
    ("/api/v1/articles", 2),  # articles + bylines
    ("/api/v1/articles?section=politics", 2),
    ("/api/v1/contributors", 2),  # page + total
]


def _url(template: str, paper: dict) -> str:
    return template.format(
        article=paper["articles"][0].get_absolute_url(),
        reporter=paper["reporter"].slug,
        tag=paper["tag"].slug,
    )


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_reader_pages_cost_the_same_queries_for_3_and_30_stories(
    client, paper_of, django_assert_num_queries, url, queries
):
    url = _url(url, paper_of)
    assert client.get(url).status_code == 200  # warms the site settings and the menu
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_search_costs_a_bounded_number_of_queries_for_3_and_30_stories(
    client, paper_of, django_assert_max_num_queries
):
    assert client.get(SEARCH).status_code == 200
    # the words' frequencies, best matches with their dates, their term counts (the
    # shared ranking), the page's articles, their bylines; a result list shorter than a
    # page adds the looser passes (variants, fewer words), a fixed few.
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH)
    assert response.status_code == 200
    # Cards print the link's Arabic slug as UTF-8 (the `iri` filter).
    link = uri_to_iri(paper_of["articles"][-1].get_absolute_url())
    assert f'href="{link}"' in response.content.decode()


def test_listings_read_no_article_body(client, paper_of, django_assert_num_queries):
    """Cards print the excerpt stored at save time: the listing queries leave bodies out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/", "/politics/", "/api/v1/articles"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        article_selects = [
            q["sql"] for q in captured.captured_queries if 'FROM "articles_article"' in q["sql"]
        ]
        assert article_selects, url
        assert not any('"articles_article"."body"' in sql for sql in article_selects), url


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_a_paid_story_costs_no_query(
    client, paper_of, django_assert_num_queries, django_capture_on_commit_callbacks, url, queries
):
    """A sponsored story (named by a running campaign's creative, jarida/sponsorship) in
    every list: its label comes from a column the cards already read, its slots from the
    cache, so each page costs what it costs without one."""
    from jarida.sponsorship.models import Campaign, Creative, Placement

    now = datetime.now().astimezone()
    with django_capture_on_commit_callbacks(execute=True):
        campaign = Campaign.objects.create(
            name="حملة",
            advertiser="معلن",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        )
        for position in Placement.Position:
            placement = Placement.objects.create(name=str(position), position=position)
            Creative.objects.create(
                campaign=campaign, placement=placement, article=paper_of["articles"][0]
            )
    url = _url(url, paper_of)
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/") and "xml" not in url and "feed" not in url and "api" not in url:
        assert "اعلان ممول" in response.content.decode()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
