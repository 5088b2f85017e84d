"""Sponsored articles: a story the advertiser paid for, named by a campaign's creative.

The story carries `اعلان ممول` on every card (home, section, tag, writer, search, related,
most read), on its own page, in the API and the feeds; no field switches it off and an
editor's save cannot clear it; the campaign promotes it in its slots between its start
and end, on cached pages too."""

import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import uri_to_iri

from jarida.articles import services as articles
from jarida.articles.models import Article
from jarida.sponsorship import services
from jarida.sponsorship.models import Campaign, Creative, Placement

pytestmark = pytest.mark.django_db

LABEL = "اعلان ممول"
PAID_LABEL = f'<p class="paid-label">{LABEL}</p>'
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


@pytest.fixture
def picture(db):
    from django.core.files.base import ContentFile
    from PIL import Image as PILImage

    from jarida.media.models import Image

    data = io.BytesIO()
    PILImage.new("RGB", (300, 200), "#2a6f97").save(data, "JPEG")
    image = Image(alt_text="صورة")
    image.file.save("story.jpg", ContentFile(data.getvalue()), save=True)
    return image


@pytest.fixture
def sponsor(django_capture_on_commit_callbacks):
    """A campaign whose creatives (one per placement) name `story`."""

    def make(story, starts, ends, positions=tuple(Placement.Position)):
        with django_capture_on_commit_callbacks(execute=True):
            campaign = Campaign.objects.create(
                name="حملة شركة الاتصالات",
                advertiser="شركة الاتصالات",
                starts_at=starts,
                ends_at=ends,
            )
            for position in positions:
                placement, _ = Placement.objects.get_or_create(
                    position=position, defaults={"name": str(position), "after_paragraph": 1}
                )
                Creative.objects.create(campaign=campaign, placement=placement, article=story)
        return campaign

    return make


@pytest.fixture
def newsroom(make_article, picture):
    """A paid story and an ordinary one, sharing section, writer and tag."""
    writer = articles.contributor_named("سلمى الجبوري")
    tags = articles.tags_named(["الاتصالات"])
    when = datetime.now().astimezone() - timedelta(days=1)
    common = {
        "bylines": [articles.BylineSpec(writer)],
        "tags": tags,
        "featured_image": picture,
        "dateline": "بغداد",
    }
    paid = make_article(
        title="شبكة الجيل الخامس تصل إلى البصرة وبغداد",
        body="".join(f"<p>الاتصالات في البصرة فقرة {n}.</p>" for n in range(5)),
        published_at=when,
        **common,
    )
    plain = make_article(
        title="وزارة الاتصالات تعلن خطة شبكة البصرة الجديدة",
        body="".join(f"<p>الاتصالات في البصرة خبر {n}.</p>" for n in range(5)),
        published_at=when + timedelta(minutes=5),
        **common,
    )
    return {"paid": paid, "plain": plain, "writer": writer, "tag": tags[0]}


def _cards(html: str) -> list[str]:
    """Each card's HTML: archive and home cards, related cards, most-read items."""
    return re.findall(
        r'<article class="(?:card|related-card)[^"]*">.*?</article>|<li><a href=[^>]*>.*?</li>',
        html,
        re.S,
    )


def _card_of(html: str, story: Article) -> list[str]:
    # Cards print the link's Arabic slug as UTF-8 (the `iri` filter).
    url = f'href="{uri_to_iri(story.get_absolute_url())}"'
    return [card for card in _cards(html) if url in card]


def _slots(html: str) -> list[str]:
    return re.findall(r'<aside class="sponsored[^"]*".*?</aside>', html, re.S)


def _visible_slot_text(html: str) -> str:
    """What the slots show without JavaScript: the creatives not hidden, in shown slots."""
    shown = []
    for slot in _slots(html):
        if " hidden>" in slot.split("\n")[0]:
            continue
        shown += re.findall(r'<a class="sponsored-creative[^"]*"[^>]*?(?<! hidden)>(.*?)</a>', slot)
    return " ".join(shown)


def _most_read(*stories):
    from jarida.readership.counting import forget_top
    from jarida.readership.models import HourlyViews

    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for views, story in enumerate(stories, start=10):
        HourlyViews.objects.create(article=story, hour=hour, views=views)
    forget_top()


def test_the_label_is_on_every_card_of_the_paid_story_and_on_no_other(client, newsroom, sponsor):
    from jarida.related.services import refresh_related

    paid, plain = newsroom["paid"], newsroom["plain"]
    now = datetime.now().astimezone()
    sponsor(paid, now - timedelta(hours=1), now + timedelta(hours=1))
    paid.refresh_from_db()
    assert paid.sponsored
    refresh_related(plain)  # the paid story is related to the ordinary one (shared tag)
    _most_read(paid, plain)
    pages = {
        "home": "/",
        "section": paid.section.get_absolute_url(),
        "tag": newsroom["tag"].get_absolute_url(),
        "writer": newsroom["writer"].get_absolute_url(),
        "search": "/search/?q=" + quote("الاتصالات"),
        "related and most read": plain.get_absolute_url(),
    }
    for name, url in pages.items():
        html = client.get(url).content.decode()
        paid_cards, plain_cards = _card_of(html, paid), _card_of(html, plain)
        assert paid_cards, name
        for card in paid_cards:
            assert PAID_LABEL in card, (name, card)
        for card in plain_cards:
            assert LABEL not in card, (name, card)
    # The related block and the most-read block each hold the paid story, labelled.
    html = client.get(plain.get_absolute_url()).content.decode()
    related = html[html.index('class="related"') :]
    assert PAID_LABEL in related[: related.index("</section>")]
    most_read = html[html.index('class="most-read"') :]
    assert PAID_LABEL in most_read[: most_read.index("</section>")]
    # Its own page says so at the top of the story; the ordinary story's header does not.
    own = client.get(paid.get_absolute_url()).content.decode()
    header = own[
        own.index('<header class="article-header">') : own.index(
            "</header>", own.index('<header class="article-header">')
        )
    ]
    assert PAID_LABEL in header
    other = html[html.index('<header class="article-header">') :]
    assert LABEL not in other[: other.index("</header>")]


def test_api_and_feeds_mark_the_paid_story(client, newsroom, sponsor):
    paid, plain = newsroom["paid"], newsroom["plain"]
    now = datetime.now().astimezone()
    sponsor(paid, now - timedelta(hours=1), now + timedelta(hours=1))
    listed = {a["id"]: a["sponsored"] for a in client.get("/api/v1/articles").json()["results"]}
    assert listed == {paid.pk: True, plain.pk: False}
    found = client.get("/api/v1/search?q=" + quote("الاتصالات")).json()["results"]
    assert {r["id"]: r["sponsored"] for r in found} == {paid.pk: True, plain.pk: False}
    feed = client.get("/feed/").content.decode()
    items = re.findall(r"<item>.*?</item>", feed, re.S)
    paid_item = next(i for i in items if paid.title in i)
    plain_item = next(i for i in items if plain.title in i)
    assert f"<category>{LABEL}</category>" in paid_item
    assert LABEL not in plain_item


def test_the_label_outlives_the_campaign_and_no_save_clears_it(client, newsroom, sponsor):
    """Paid once, paid for good: the campaign's end stops the promotion, not the label;
    an editor's save of a copy loaded before the campaign named the story keeps it."""
    paid = newsroom["paid"]
    stale = Article.objects.get(pk=paid.pk)  # an editor's form opened before the deal
    now = datetime.now().astimezone()
    campaign = sponsor(paid, now - timedelta(hours=3), now - timedelta(hours=1))  # over
    stale.title = "شبكة الجيل الخامس تصل إلى البصرة"
    articles.save_article(stale)
    paid.refresh_from_db()
    assert paid.sponsored and paid.title == stale.title
    html = client.get(paid.section.get_absolute_url()).content.decode()
    assert all(PAID_LABEL in card for card in _card_of(html, paid))
    assert _slots(html) == []  # no longer promoted
    # A new story is never born paid, whatever the caller sets.
    born = Article(title="خبر", section=paid.section, sponsored=True)
    born.save()
    born.refresh_from_db()
    assert not born.sponsored
    # Only the creatives decide: the campaign's record deleted, the story is ordinary.
    campaign.delete()
    paid.refresh_from_db()
    assert not paid.sponsored


def test_a_paid_story_cannot_be_deleted_while_a_creative_names_it(newsroom, sponsor):
    from django.db.models import ProtectedError

    now = datetime.now().astimezone()
    sponsor(newsroom["paid"], now, now + timedelta(hours=1), positions=["sidebar"])
    with pytest.raises(ProtectedError):
        newsroom["paid"].delete()


def test_campaign_promotes_its_story_at_its_times_on_cached_pages(
    client, newsroom, sponsor, settings
):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300  # the page cache as deployed
    paid = newsroom["paid"]
    now = datetime.now().astimezone().replace(microsecond=0)
    starts, ends = now + timedelta(seconds=120), now + timedelta(seconds=600)
    sponsor(paid, starts, ends, positions=["sidebar"])
    section = newsroom["plain"].section.get_absolute_url()
    urls = ["/", section, newsroom["plain"].get_absolute_url()]
    before = {url: client.get(url).content.decode() for url in urls}
    for url, html in before.items():
        # In the page (it may start while the page is cached), shown by nobody yet.
        assert paid.title not in _visible_slot_text(html), url
        assert f'data-starts="{int(starts.timestamp())}"' in _slots(html)[0]
    assert services.next_change_time(now) == starts
    with time_machine.travel(starts + timedelta(seconds=1)):
        for url in urls:
            html = client.get(url).content.decode()
            assert html != before[url]  # rendered anew at the start, no purge needed
            shown = _visible_slot_text(html)
            assert paid.title in shown, url
            slot = _slots(html)[0]
            assert f'<p class="sponsored-label">{LABEL}</p>' in slot
            click = re.search(r'class="sponsored-creative sponsored-story" href="([^"]+)"', slot)
            response = client.get(click[1], HTTP_USER_AGENT=BROWSER)
            assert response.status_code == 302
            assert response["Location"] == paid.get_absolute_url()
    with time_machine.travel(ends + timedelta(seconds=1)):
        for url in urls:
            html = client.get(url).content.decode()
            assert _slots(html) == [], url  # rendered anew at the end: the slot is gone
            # ...and wherever the story is listed, it is still labelled.
            assert all(PAID_LABEL in card for card in _card_of(html, paid))


def test_a_story_published_after_the_campaign_starts_is_promoted_from_its_own_time(
    client, newsroom, sponsor, settings, make_article
):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    now = datetime.now().astimezone().replace(microsecond=0)
    due = now + timedelta(seconds=90)
    later = make_article(title="عرض الصيف من شركة الاتصالات", published_at=due)
    sponsor(later, now - timedelta(hours=1), now + timedelta(hours=1), positions=["sidebar"])
    assert services.next_change_time(now) == due
    assert later.title not in _visible_slot_text(client.get("/").content.decode())
    with time_machine.travel(due + timedelta(seconds=1)):
        assert later.title in _visible_slot_text(client.get("/").content.decode())


def test_a_draft_story_is_never_promoted(
    client, newsroom, sponsor, django_capture_on_commit_callbacks
):
    paid = newsroom["paid"]
    now = datetime.now().astimezone()
    sponsor(paid, now - timedelta(hours=1), now + timedelta(hours=1), positions=["sidebar"])
    assert paid.title in _visible_slot_text(client.get("/").content.decode())
    paid.refresh_from_db()
    paid.status = Article.Status.UNPUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        articles.save_article(paid)
    html = client.get(newsroom["plain"].get_absolute_url()).content.decode()
    assert paid.title not in html  # neither promoted nor listed anywhere on the page


def test_a_creative_is_a_story_or_an_image_with_its_link(newsroom, picture):
    now = datetime.now().astimezone()
    campaign = Campaign.objects.create(
        name="حملة", advertiser="معلن", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    placement = Placement.objects.create(name="جانبي", position="sidebar")
    both = Creative(
        campaign=campaign,
        placement=placement,
        article=newsroom["paid"],
        image=picture,
        alt_text="عرض",
        link_url="https://shop.example.com/",
    )
    neither = Creative(campaign=campaign, placement=placement)
    image_without_link = Creative(
        campaign=campaign, placement=placement, image=picture, alt_text="عرض"
    )
    for wrong in (both, neither, image_without_link):
        with pytest.raises(ValidationError):
            wrong.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            wrong.save()
    Creative(campaign=campaign, placement=placement, article=newsroom["plain"]).full_clean()


def test_signed_clicks_reach_only_this_site_or_the_web():
    story = services.click_url(1, "/local/1/story/")
    assert services.click_target(story.rstrip("/").rsplit("/", 1)[1]) == (1, "/local/1/story/")
    for target in ("//evil.example.net/", "/\\evil.example.net/", "javascript:alert(1)", "data:x"):
        token = signing.dumps({"c": 1, "u": target}, salt=services.CLICK_SALT)
        assert services.click_target(token) is None, target
    assert services.click_target(signing.dumps([1, "/x/"], salt=services.CLICK_SALT)) is None


def test_the_admin_names_a_story_in_a_campaign(client, newsroom, django_user_model):
    """The back office's campaign form takes a story as a creative; the flag follows."""
    admin = django_user_model.objects.create_superuser("ads", "a@example.com", "pw")
    client.force_login(admin)
    placement = Placement.objects.create(name="جانبي", position="sidebar")
    now = datetime.now().astimezone()
    form = {
        "name": "حملة",
        "advertiser": "معلن",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": "00:00:00",
        "ends_at_0": (now + timedelta(days=2)).strftime("%Y-%m-%d"),
        "ends_at_1": "00:00:00",
        "weight": "1",
        "active": "on",
        "creatives-TOTAL_FORMS": "1",
        "creatives-INITIAL_FORMS": "0",
        "creatives-MIN_NUM_FORMS": "0",
        "creatives-MAX_NUM_FORMS": "1000",
        "creatives-0-placement": str(placement.pk),
        "creatives-0-article": str(newsroom["paid"].pk),
        "creatives-0-weight": "1",
    }
    response = client.post("/admin/sponsorship/campaign/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(pk=newsroom["paid"].pk).sponsored
    assert not Article.objects.get(pk=newsroom["plain"].pk).sponsored
    # The article form offers no way to switch the label off.
    page = client.get(f"/admin/articles/article/{newsroom['paid'].pk}/change/").content.decode()
    assert 'name="sponsored"' not in page


def test_warm_listing_pages_ask_no_more_queries_with_a_paid_story(
    client, newsroom, sponsor, django_assert_num_queries
):
    """The flag is a column of the rows the cards already read: no query per paid story."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = [
        "/",
        newsroom["paid"].section.get_absolute_url(),
        newsroom["tag"].get_absolute_url(),
        newsroom["writer"].get_absolute_url(),
        newsroom["plain"].get_absolute_url(),
        "/api/v1/articles",
    ]

    def queries(url) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as done:
            client.get(url)
        return len(done)

    before = [queries(url) for url in urls]
    now = datetime.now().astimezone()
    sponsor(newsroom["paid"], now - timedelta(hours=1), now + timedelta(hours=1))
    assert [queries(url) for url in urls] == before
    assert PAID_LABEL in client.get("/").content.decode()
