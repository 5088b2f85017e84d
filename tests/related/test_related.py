"""Related stories: chosen when a story is saved, stored, and read in one query per page."""

import re
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from django.utils.html import strip_tags

from jarida.articles import services
from jarida.articles.models import Article, Byline
from jarida.core import dates
from jarida.core.models import SiteSettings
from jarida.related import selection
from jarida.related.models import RelatedArticle, RelatedChoice
from jarida.related.services import cards_for_page, set_choices

pytestmark = pytest.mark.django_db

WHEN = datetime.fromisoformat("2026-01-10T10:00:00+03:00")
ELECTRICITY = (
    "<p>أزمة الكهرباء في البصرة تشتد مع انقطاع المولدات الأهلية وارتفاع درجات الحرارة.</p>"
)
FOOTBALL = "<p>فاز نادي الزوراء على القوة الجوية في مباراة الدوري الممتاز بهدفين نظيفين.</p>"


def _related_ids(article) -> list[int]:
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("position")
        .values_list("related_id", flat=True)
    )


def _cards(html: str) -> list[str]:
    block = re.search(r'<section class="related".*?</section>', html, re.S)
    if not block:
        return []
    return [
        " ".join(strip_tags(card).split())
        for card in re.findall(r'<article class="related-card">(.*?)</article>', block[0], re.S)
    ]


@pytest.fixture
def commit(django_capture_on_commit_callbacks, run_tasks):
    """Run what a save leaves for after its commit (the vocabulary, then the worker's
    tasks: the index's follow-up, the selection), as production does: pytest-django's
    test transaction never commits."""

    @contextmanager
    def committed():
        with django_capture_on_commit_callbacks(execute=True):
            yield
        for _ in range(3):  # indexed -> related chosen -> its pages invalidated
            with django_capture_on_commit_callbacks(execute=True):
                run_tasks()

    return committed


@pytest.fixture
def stories(make_article, commit):
    """Two stories on Basra's power cuts, one on football, one on Basra's power long before."""
    with commit():
        power = make_article(title="انقطاع الكهرباء في البصرة", body=ELECTRICITY, published_at=WHEN)
    with commit():
        football = make_article(title="الزوراء يفوز في الدوري", body=FOOTBALL, published_at=WHEN)
    with commit():
        later = make_article(
            title="المولدات الأهلية في البصرة",
            body=ELECTRICITY,
            published_at=WHEN - timedelta(days=200),
        )
    # Saved last: its selection sees the other three already indexed.
    with commit():
        follow_up = make_article(
            title="الكهرباء في البصرة: المولدات تعود",
            body=ELECTRICITY.replace("تشتد", "تتواصل"),
            published_at=WHEN + timedelta(days=1),
        )
    return {"power": power, "football": football, "later": later, "follow_up": follow_up}


def test_related_stories_are_stored_when_the_story_is_saved(stories):
    ids = _related_ids(stories["follow_up"])
    # Same story first (closer in time than the same words 200 days later); football never.
    assert ids[:2] == [stories["power"].pk, stories["later"].pk]
    assert stories["football"].pk not in ids


def test_editing_a_story_recomputes_its_related(stories, commit):
    football = stories["football"]
    assert _related_ids(football) == []
    football.body = ELECTRICITY
    with commit():
        services.save_article(football)
    assert stories["power"].pk in _related_ids(football)


def test_editors_pin_and_exclude(stories, commit):
    follow_up = stories["follow_up"]
    with commit():
        set_choices(follow_up, pinned=[stories["football"].pk], excluded=[stories["power"].pk])
    ids = _related_ids(follow_up)
    assert ids[0] == stories["football"].pk
    assert stories["power"].pk not in ids
    assert RelatedArticle.objects.get(article=follow_up, related=stories["football"]).pinned


def test_the_article_form_pins_by_address_or_number(stories, client, django_user_model, commit):
    editor = django_user_model.objects.create_superuser("ed", "e@example.com", "pw")
    client.force_login(editor)
    follow_up, football = stories["follow_up"], stories["football"]
    url = f"/admin/articles/article/{follow_up.pk}/change/"
    page = client.get(url).content.decode()
    assert "مقالات ذات صلة مثبتة" in page
    from tests.articles.conftest import article_form

    data = article_form(
        follow_up,
        related_pinned=f"https://example.com{football.get_absolute_url()}",
        related_excluded=str(stories["power"].pk),
    )
    with commit():
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    kinds = dict(RelatedChoice.objects.filter(article=follow_up).values_list("other_id", "kind"))
    assert kinds == {football.pk: "pin", stories["power"].pk: "exclude"}
    assert _related_ids(follow_up)[0] == football.pk
    # A forged or unknown reference is refused with a clear message, nothing saved.
    bad = client.post(url, article_form(follow_up, related_pinned="/politics/999999/x/"))
    assert bad.status_code == 200
    assert "لا مقال بالرقم: 999999" in bad.content.decode()


def test_card_as_on_the_seed_page(client, seed_article, seed_data, make_article, commit):
    item = seed_data["related"]["items"][0]
    reporter = services.contributor_named(item["author"])
    text = item["excerpt_display"].removeprefix(f"{item['dateline']}/ {item['author']} ")
    text = text.removesuffix(" […]") + " ورئيس الوزراء يعود إلى بغداد بعد الزيارة الطويلة."
    related = make_article(
        title=item["title"],
        body=f"<p>{text}</p>",
        dateline=item["dateline"],
        bylines=[services.BylineSpec(reporter, Byline.Role.AUTHOR)],
        section=seed_article.section,
        published_at=datetime.fromisoformat(f"{item['date']}T12:00:00+03:00"),
    )
    with commit():
        set_choices(seed_article, pinned=[related.pk], excluded=[])
    html = client.get(seed_article.get_absolute_url()).content.decode()
    assert seed_data["related"]["heading"] in html
    cards = _cards(html)
    assert cards, "no related card on the page"
    card = cards[0]
    assert card.startswith(
        f"{item['title']} {item['date_display']} {item['dateline']}/ {item['author']} "
    )
    assert card.endswith(" […]")
    assert item["excerpt_display"].removesuffix(" […]") in card


def test_card_date_follows_the_site_setting(stories, client):
    site = SiteSettings.load()
    site.card_date_format = dates.CARD_DATE_LONG
    site.save()
    html = client.get(stories["follow_up"].get_absolute_url()).content.decode()
    assert "10 يناير, 2026" in _cards(html)[0]


def test_unpublished_or_deleted_related_story_leaves_the_page(stories, client, commit):
    power, later, url = stories["power"], stories["later"], stories["follow_up"].get_absolute_url()
    assert power.title in _cards(client.get(url).content.decode())[0]  # now cached
    power.status = Article.Status.UNPUBLISHED
    with commit():
        services.save_article(power)
    cards = _cards(client.get(url).content.decode())
    assert cards and all(power.title not in card for card in cards)
    with commit():
        later.delete()
    assert all(later.title not in card for card in _cards(client.get(url).content.decode()))


def test_a_pinned_scheduled_story_shows_when_due(stories, commit, make_article):
    import time_machine

    due = datetime.now().astimezone() + timedelta(hours=2)
    scheduled = make_article(title="خبر مجدول للنشر بعد ساعتين", published_at=due)
    follow_up = stories["follow_up"]
    with commit():
        set_choices(follow_up, pinned=[scheduled.pk], excluded=[])
    # The cached list holds it already; the clock keeps it off the page until it is due.
    assert scheduled.title not in [c["title"] for c in cards_for_page(follow_up)]
    with time_machine.travel(due + timedelta(minutes=1)):
        assert cards_for_page(follow_up)[0]["title"] == scheduled.title


def test_editing_a_related_story_refreshes_its_cards(stories, commit):
    power = stories["power"]
    power.dateline = "البصرة"
    with commit():
        services.save_article(power)
    card = RelatedArticle.objects.get(article=stories["follow_up"], related=power)
    assert card.credit == "البصرة/"


def test_page_query_count_does_not_grow_with_related_cards(
    stories, client, commit, django_assert_num_queries
):
    lonely = stories["football"]
    url = lonely.get_absolute_url()
    client.get(url)  # warm the caches
    # Warm: the article, bylines, tags and comments; the related block is in the cache.
    with django_assert_num_queries(4):
        client.get(url)
    assert _related_ids(lonely) == []
    with commit():
        set_choices(
            lonely, pinned=[s.pk for k, s in stories.items() if k != "football"], excluded=[]
        )
    client.get(url)
    with django_assert_num_queries(4):
        html = client.get(url).content.decode()
    assert len(_cards(html)) == 3


def test_signature_leaves_out_words_every_story_has_and_words_only_one_has():
    counts = selection.weighted_terms("الكهرباء في البصرة", "انقطاع الكهرباء")
    df = {term: 2 for term in counts} | {"في": 90}
    sig = selection.signature(counts, df, documents=100)
    assert "في" not in sig
    assert sig  # the rare shared terms stay
    only_here = selection.signature(counts, dict.fromkeys(counts, 1), documents=100)
    assert only_here == {}


def test_choose_puts_pins_first_and_drops_exclusions():
    assert selection.choose([1, 2, 3, 4, 5], pinned=[9], excluded={2}, count=4) == [9, 1, 3, 4]


def test_refresh_command_fills_stories_saved_without_a_selection(stories):
    from django.core.management import call_command

    from jarida.related.models import RelatedArticle as Row

    Row.objects.all().delete()
    call_command("refresh_related", "--missing")
    assert _related_ids(stories["follow_up"])[0] == stories["power"].pk
