"""Small things a reader's browser or a crawler notices: icons, descriptions, one label
for one action, machine-readable times the HTML standard accepts."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test import override_settings
from PIL import Image

pytestmark = pytest.mark.django_db

YEAR = 365 * 24 * 3600


@pytest.mark.parametrize(
    ("url", "content_type", "size"),
    [
        ("/favicon.ico", "image/x-icon", (48, 48)),
        ("/apple-touch-icon.png", "image/png", (180, 180)),
        ("/apple-touch-icon-precomposed.png", "image/png", (180, 180)),
    ],
)
def test_root_icons_are_served_with_a_long_cache(client, url, content_type, size):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
    assert max_age >= YEAR
    assert Image.open(io.BytesIO(response.content)).size == size


def test_every_page_links_its_icons(client, make_article):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/reader/icons/favicon[^"]*\.ico"', html)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/reader/icons/[^"]+\.png"', html)


def test_search_page_has_a_meta_description(client):
    html = client.get("/search/?q=دجلة").content.decode()
    descriptions = re.findall(r'<meta name="description" content="([^"]+)"', html)
    assert len(descriptions) == 1 and descriptions[0].strip()


def test_pages_with_their_own_metadata_keep_one_description(client, make_article):
    article = make_article()
    for url in ["/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert html.count('<meta name="description"') == 1, url


def test_every_search_button_on_the_search_page_has_one_label(client):
    html = client.get("/search/?q=دجلة").content.decode()
    forms = re.findall(r'<form[^>]*role="search".*?</form>', html, re.S)
    labels = {re.sub(r"\s+", " ", b).strip() for f in forms for b in re.findall(
        r'<button type="submit">(.*?)</button>', f, re.S)}  # fmt: skip
    assert len(forms) == 2
    assert len(labels) == 1, labels


@override_settings(TIME_ZONE="Asia/Baghdad")
def test_html_datetime_is_whole_seconds_in_local_time():
    moment = datetime(2026, 6, 15, 9, 30, 5, 123456, tzinfo=UTC)
    rendered = Template("{% load arabic %}{{ moment|html_datetime }}").render(
        Context({"moment": moment})
    )
    assert rendered == "2026-06-15T12:30:05+03:00"


def test_article_and_comment_times_carry_no_microseconds(client, make_article):
    from jarida.comments.models import Comment
    from jarida.comments.services import text_key

    article = make_article()
    Comment.objects.create(article=article, text="تعليق", text_key=text_key("تعليق"),
                           status=Comment.Status.PUBLISHED)  # fmt: skip
    Comment.objects.update(created_at=datetime(2026, 6, 15, 9, 30, 5, 123456, tzinfo=UTC))
    html = client.get(article.get_absolute_url()).content.decode()
    stamps = re.findall(r'<time[^>]* datetime="([^"]+)"', html)
    assert len(stamps) >= 2
    for stamp in stamps:
        datetime.fromisoformat(stamp)
        assert "." not in stamp, stamp


def test_a_refused_page_explains_itself_in_arabic(client, django_user_model):
    from django.contrib.auth.models import Group

    from jarida.accounts.roles import ensure_roles

    ensure_roles()
    reporter = django_user_model.objects.create_user("r", password="pw", is_staff=True)
    reporter.groups.add(Group.objects.get(name="مراسل"))
    client.force_login(reporter)
    response = client.get("/admin/comments/comment/?status__exact=pending")
    assert response.status_code == 403
    html = response.content.decode()
    assert "لا صلاحية لك" in html and "Forbidden" not in html
