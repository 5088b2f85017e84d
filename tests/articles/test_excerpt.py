"""The excerpt is worked out when an article is written, and read as stored afterwards."""

import pytest

from jarida.articles import services
from jarida.articles.models import EXCERPT_CHARS, Article
from jarida.core.fields import CLEANED

pytestmark = pytest.mark.django_db

LONG_BODY = "<p>" + " ".join(["المياه"] * 80) + "</p><p>فقرة ثانية &amp; أخيرة</p>"


def test_saving_stores_the_excerpt_of_the_body_or_summary(make_article):
    article = make_article(body=LONG_BODY)
    stored = Article.objects.values_list("excerpt_text", flat=True).get(pk=article.pk)
    assert stored.startswith("المياه المياه") and stored.endswith("[…]")
    assert len(stored) <= EXCERPT_CHARS
    article.summary = "موجز قصير يكتبه المحرر."
    article.save()
    assert Article.objects.get(pk=article.pk).excerpt_text == "موجز قصير يكتبه المحرر."


def test_saving_only_the_body_still_refreshes_the_excerpt(make_article):
    article = make_article(body="<p>نص قديم</p>")
    article.body = "<p>نص جديد &amp; مختلف</p>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).excerpt_text == "نص جديد & مختلف"


def test_a_listing_without_bodies_reads_the_stored_excerpt(make_article, django_assert_num_queries):
    make_article(body=LONG_BODY)
    (card,) = Article.objects.for_cards()
    with django_assert_num_queries(0):  # the deferred body is never fetched
        assert card.excerpt().startswith("المياه")
    # Another length is worked out from the body (loaded for it on purpose).
    assert len(Article.objects.get().excerpt(40)) <= 40


def test_bulk_imports_store_excerpts(make_article):
    section = make_article().section
    new = services.BulkArticle(
        article=Article(
            title="خبر مستورد",
            body="<p>نص المقال المستورد</p>",
            section=section,
            status=Article.Status.PUBLISHED,
        )
    )
    services.save_articles_in_bulk([new])
    assert Article.objects.get(title="خبر مستورد").excerpt_text == "نص المقال المستورد"


def _imported(section, body: str, excerpt: str, marked_body: str) -> Article:
    """An article as the NDJSON importer hands it over: excerpt worked out ahead, marked."""
    article = Article(
        title="خبر مستورد",
        body=body,
        excerpt_text=excerpt,
        section=section,
        status=Article.Status.PUBLISHED,
    )
    setattr(article, CLEANED, {"body": marked_body, "excerpt_text": excerpt})
    return article


def test_an_excerpt_made_ahead_for_this_very_body_is_stored_as_made(make_article):
    section = make_article().section
    body = "<p>نص المقال المستورد</p>"
    article = _imported(section, body, "مقتطف أعدّه عامل النص", marked_body=body)
    services.save_articles_in_bulk([services.BulkArticle(article)])
    assert Article.objects.get(pk=article.pk).excerpt_text == "مقتطف أعدّه عامل النص"


def test_an_excerpt_made_ahead_for_another_body_is_worked_out_again(make_article):
    section = make_article().section
    # The body was changed after the excerpt was made for the one marked.
    article = _imported(section, "<p>النص الحالي</p>", "مقتطف قديم", marked_body="<p>نص آخر</p>")
    services.save_articles_in_bulk([services.BulkArticle(article)])
    assert Article.objects.get(pk=article.pk).excerpt_text == "النص الحالي"
