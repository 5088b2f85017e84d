"""Social and RSS links as site settings, share links without third-party scripts, TOP."""

import re

import pytest

from jarida.core.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_social_profiles_come_from_the_site_settings(client):
    html = client.get("/").content.decode()
    assert "facebook.com/almada" not in html
    site = SiteSettings.load()
    site.facebook_url = "https://www.facebook.com/almada"
    site.youtube_url = "https://www.youtube.com/@almada"
    site.save()
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="([^"]+)" rel="me noopener" aria-label="([^"]+)"', html)
    assert links == [
        ("https://www.facebook.com/almada", "فيسبوك"),
        ("https://www.youtube.com/@almada", "يوتيوب"),
    ]
    assert 'aria-label="خلاصة RSS"' in html and ">خلاصة RSS</a>" in html
    assert '<svg class="icon" aria-hidden="true" focusable="false"' in html


def test_share_links_are_plain_links_to_the_short_address(client, make_article):
    story = make_article(title="وفد عراقي يفاوض على حصة دجلة")
    html = client.get(story.get_absolute_url()).content.decode()
    share = re.search(r'<ul class="share-links".*?</ul>', html, re.S)[0]
    short = f"http%3A%2F%2Ftestserver%2F{story.section.slug}%2F{story.pk}%2F"
    assert share.count(short) == 5
    assert "facebook.com/sharer" in share and "wa.me" in share and "mailto:" in share
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert scripts and all(src.startswith("/") for src in scripts)  # nothing third-party
    # The short address reaches the story.
    assert client.get(f"/{story.section.slug}/{story.pk}/").status_code == 301


def test_top_control_is_a_link_to_the_header(client):
    html = client.get("/").content.decode()
    assert re.search(r'<header class="site-header" id="top">', html)
    top = re.search(r'<a class="back-to-top" href="#top"[^>]*>.*?</a>', html, re.S)[0]
    assert 'aria-label="العودة إلى أعلى الصفحة"' in top and top.endswith(" TOP</a>")
