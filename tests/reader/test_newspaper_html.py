"""The newspaper's blocks all filled (related, most read, sponsored slots, supplements,
social links, footer pages), through the W3C checker like the other reader pages."""

import json
import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jarida.core.models import SiteSettings
from jarida.pages.models import Page
from jarida.readership import counting
from jarida.related.services import set_choices
from jarida.sponsorship.models import Campaign, Creative, Placement
from jarida.supplements.models import Issue, Series
from tests.feeds.test_html_validity import _vnu_command
from tests.sponsorship.test_sponsorship import picture  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_pages_with_every_block_have_no_html_errors(
    client,
    seed_article,
    paper,
    picture,  # noqa: F811 (the fixture imported above)
    tmp_path,
    django_capture_on_commit_callbacks,
    run_tasks,
):
    command = _vnu_command()
    now = datetime.now().astimezone()
    with django_capture_on_commit_callbacks(execute=True):
        site = SiteSettings.load()
        for _network, field, _name in SiteSettings.SOCIAL_NETWORKS:
            setattr(site, field, "https://example.com/almada")
        site.save()
        set_choices(seed_article, pinned=[a.pk for a in paper["published"]], excluded=[])
        campaign = Campaign.objects.create(
            name="حملة", advertiser="معلن", starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=1),
        )  # fmt: skip
        for position in Placement.Position:
            placement = Placement.objects.create(name=position.label, position=position)
            Creative.objects.create(
                campaign=campaign, placement=placement, image=picture, alt_text="إعلان",
                link_url="https://example.com/?a=1&b=2",
            )  # fmt: skip
            # A sponsored story too: its card in the slots, its label on its cards.
            Creative.objects.create(
                campaign=campaign, placement=placement, article=paper["published"][0]
            )
        series = Series.objects.create(name="ملحق منارات", slug="manarat")
        Issue.objects.create(
            series=series, number=1, date=date(2026, 6, 1),
            pdf=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n"),
        )  # fmt: skip
        Page.objects.create(title="من نحن", slug="about", body="<p>عن الجريدة.</p>")
    run_tasks()  # the related stories, chosen by the worker
    for story in paper["published"]:
        counting.record_view(story.pk, "203.0.113.1", "Mozilla/5.0 Firefox/128.0", now)
    counting.flush(now + timedelta(minutes=3))
    pages = {
        "home": "/",
        "section": "/politics/",
        "seed-article": seed_article.get_absolute_url(),
        "paid-story": paper["published"][0].get_absolute_url(),
        "search": "/search/?q=دجلة",
        "supplements": "/supplements/",
        "series": "/supplements/manarat/",
        "issue": "/supplements/manarat/1/",
        "about": "/pages/about/",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    seed_html = (tmp_path / "seed-article.html").read_text()
    for name in ("home", "paid-story", "search"):
        assert '<p class="paid-label">اعلان ممول</p>' in (tmp_path / f"{name}.html").read_text()
    for block in ("مقالات ذات صلة", "الأكثر قراءة", "اعلان ممول", "ملاحق المدى", "من نحن"):
        assert block in seed_html, block
    result = subprocess.run(
        [*command, *files], capture_output=True, text=True, timeout=120, check=False
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") in ("fatal", "warning")
    ]
    assert not errors, errors
