from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from jarida.accounts.models import Contributor
from jarida.articles import services
from jarida.articles.models import Agency, Article, Byline, Section

pytestmark = pytest.mark.django_db


def test_titles_and_names_are_cleaned_on_save(make_article):
    article = make_article(title="\uf06f\u202eروسيا تعرض\u200b تعاوناً\u200c", summary="\ue000موجز")
    article.refresh_from_db()
    assert article.title == "روسيا تعرض تعاوناً"
    assert article.summary == "موجز"
    person = Contributor.objects.create(name="\uf06f حامد أحمد\u200f", slug="hamed")
    person.refresh_from_db()
    assert person.name == "حامد أحمد"


def test_body_is_sanitised_on_save_but_keeps_its_words(make_article):
    body = '<p>كلمة\u200cمركبة <em>أكثـر</em></p><script>alert(1)</script><p onclick="x">ثانية</p>'
    article = make_article(body=body)
    article.refresh_from_db()
    assert article.body == "<p>كلمة\u200cمركبة <em>أكثـر</em></p><p>ثانية</p>"


def test_slug_follows_the_title_when_blank(make_article):
    article = make_article(title="روسيا تعرض تعاوناً عسكرياً")
    assert article.slug == "روسيا-تعرض-تعاونا-عسكريا"


def test_published_article_needs_a_date(make_article):
    with pytest.raises(ValidationError) as error:
        make_article(published_at=None)
    assert "published_at" in error.value.message_dict


def test_reserved_section_slug_is_refused():
    section = Section(name="الإدارة", slug="admin")
    with pytest.raises(ValidationError):
        section.full_clean()


def test_draft_is_not_published(make_article):
    draft = make_article(status=Article.Status.DRAFT)
    assert draft not in Article.objects.published()


def test_scheduled_article_is_hidden_until_due(make_article):
    due = datetime.fromisoformat("2026-03-01T09:00:00+03:00")
    article = make_article(published_at=due)
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().filter(pk=article.pk).exists()
        assert not article.is_visible
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert article.is_visible


def test_bylines_keep_order_and_print_arabic_labels(make_article):
    writer = services.contributor_named("سلمى الجبوري")
    translator = services.contributor_named("حسن الموسوي")
    article = make_article(
        bylines=[
            services.BylineSpec(translator, Byline.Role.TRANSLATOR),
            services.BylineSpec(writer, Byline.Role.AUTHOR),
        ]
    )
    labels = [(b.label, b.contributor.name) for b in article.bylines.all()]
    assert labels == [("ترجمة", "حسن الموسوي"), ("بقلم", "سلمى الجبوري")]


def test_saving_bylines_again_replaces_them(make_article):
    person = services.contributor_named("سلمى الجبوري")
    article = make_article(bylines=[services.BylineSpec(person)])
    services.save_article(article, bylines=[services.BylineSpec(person, Byline.Role.EDITOR)])
    assert [b.role for b in article.bylines.all()] == [Byline.Role.EDITOR]


def test_contributor_named_reuses_and_gives_unique_slugs():
    first = services.contributor_named("علي الخفاجي")
    assert services.contributor_named("\uf06fعلي الخفاجي") == first
    assert first.slug == "علي-الخفاجي"
    Contributor.objects.create(name="شخص آخر", slug="علي-الخفاجي-2")
    other = Contributor.objects.create(name="x", slug="x")
    other.delete()
    assert Contributor.objects.filter(name="علي الخفاجي").count() == 1


def test_agency_is_found_by_any_of_its_spellings():
    agency = Agency.objects.create(
        name="اسوشيتدبرس",
        name_en="Associated Press",
        slug="ap",
        other_spellings="اسوشييتدبرس\n\uf06f أسوشيتد برس \n\n",
    )
    assert agency.other_spellings == "اسوشييتدبرس\nأسوشيتد برس"
    for spelling in ("اسوشيتدبرس", "اسوشييتدبرس", "Associated Press", "أسوشيتد برس"):
        assert services.agency_named(spelling) == agency
    assert services.agency_named("رويترز") is None


def test_excerpt_prefers_summary_then_body(make_article):
    assert make_article(summary="موجز قصير").excerpt() == "موجز قصير"
    long_body = "<p>" + "كلمة " * 100 + "</p><p>ثانية</p>"
    cut = make_article(body=long_body).excerpt(60)
    assert cut.endswith("[…]") and len(cut) <= 60


def test_publish_article_schedules_at_a_given_time(make_article):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    later = timezone.now() + timedelta(hours=2)
    services.publish_article(article, at=later)
    assert article.status == Article.Status.PUBLISHED and article.published_at == later
    assert not article.is_visible


def test_dateline_credit_names_the_reporters(make_article):
    first = services.contributor_named("تميم الحسن")
    second = services.contributor_named("هدى النقيب")
    photographer = services.contributor_named("علي الخفاجي")
    article = make_article(
        dateline="بغداد",
        bylines=[
            services.BylineSpec(first),
            services.BylineSpec(photographer, Byline.Role.PHOTOGRAPHER),
            services.BylineSpec(second),
        ],
    )
    assert article.dateline_credit == "بغداد/ تميم الحسن وهدى النقيب"
    assert make_article(dateline="").dateline_credit == ""


def test_automatic_slug_follows_the_title_but_a_chosen_one_stays(make_article):
    article = make_article(title="Russia offers Iraq cooperation")
    article.title = "روسيا تعرض تعاوناً على العراق"
    services.save_article(article)
    assert article.slug == "روسيا-تعرض-تعاونا-على-العراق"
    article.slug = "روسيا-والعراق"
    services.save_article(article)
    article.title = "عنوان ثالث"
    services.save_article(article)
    assert article.slug == "روسيا-والعراق"
