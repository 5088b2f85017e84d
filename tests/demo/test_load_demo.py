import re

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from django_tasks_db.models import DBTaskResult

from jarida.accounts.models import Contributor
from jarida.articles.models import Agency, Article, Byline, Section, Tag
from jarida.core.models import SiteSettings
from jarida.demo.loader import article_files
from jarida.media.models import Image

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        yield
        # Module-scoped data lives outside the per-test transactions: remove all of it,
        # the tasks its saves queued (indexing, renditions) included.
        for model in (Article, Section, Agency, Tag, Contributor, Image, SiteSettings):
            model.objects.all().delete()
        DBTaskResult.objects.all().delete()


def test_demo_has_enough_sections_and_articles(loaded):
    assert Section.objects.count() >= 6
    assert Article.objects.published().count() >= 40
    assert Article.objects.count() == len(article_files())


def test_every_demo_article_has_at_least_250_words_of_its_own(loaded):
    bodies = {}
    for article in Article.objects.all():
        words = strip_tags(article.body).split()
        assert len(words) >= 250, f"{article.external_id}: {len(words)} words"
        bodies[article.pk] = set(re.findall(r"\w+", strip_tags(article.body)))
    # No repeated templates: no two articles share most of their vocabulary.
    ids = list(bodies)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            overlap = len(bodies[a] & bodies[b]) / min(len(bodies[a]), len(bodies[b]))
            assert overlap < 0.5, (a, b, overlap)


def test_demo_has_varied_bylines_translations_and_images(loaded):
    translated = Article.objects.filter(source_agency__isnull=False)
    assert translated.count() >= 5
    for article in translated:
        assert article.bylines.filter(role=Byline.Role.TRANSLATOR).exists()
    roles = set(Byline.objects.values_list("role", flat=True))
    assert roles == {"author", "translator", "photographer", "editor"}
    assert not Article.objects.filter(featured_image__isnull=True).exists()
    image = Article.objects.first().featured_image
    assert image.file.size > 10_000 and image.width == 1200 and image.alt_text


def test_load_demo_is_idempotent(loaded):
    counts = (Article.objects.count(), Section.objects.count(), Byline.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Article.objects.count(), Section.objects.count(), Byline.objects.count()) == counts


def test_if_empty_skips_a_site_with_articles(loaded, capsys):
    first = Article.objects.order_by("pk").first()
    first.title = "عنوان عدّله محرر"
    first.save()
    call_command("load_demo", if_empty=True, verbosity=0)
    first.refresh_from_db()
    assert first.title == "عنوان عدّله محرر"
