"""The back office: Arabic, right-to-left, and the seed article in one form."""

import json

import pytest

from jarida.accounts.models import Contributor
from jarida.articles.models import Agency, Article, Byline, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(user)
    return client


def test_admin_is_arabic_and_right_to_left(editor_client):
    html = editor_client.get("/admin/articles/article/add/").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "إضافة مقال" in html
    assert "django_prose_editor" in html  # the rich-text editor's assets


def test_editor_creates_the_seed_article_in_one_form(editor_client, seed_data):
    section = Section.objects.create(name="سياسية", slug="politics")
    agency = Agency.objects.create(name="اسوشيتدبرس", name_en="Associated Press", slug="ap")
    translator = Contributor.objects.create(name="حامد أحمد", slug="hamed-ahmed")
    body = "".join(f"<p>{p}</p>" for p in seed_data["body_paragraphs"])
    form = {
        "title": "\uf06f" + seed_data["title"],
        "kicker": "",
        "summary": "",
        "body": body + "<script>alert(1)</script>",
        "section": section.pk,
        "_workflow": "publish",
        "published_at_0": "2020-02-09",
        "published_at_1": "20:48:00",
        "slug": "",
        "dateline": "",
        "source_agency": agency.pk,
        "source_url": "https://example.com/ap/original",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-contributor": translator.pk,
        "bylines-0-role": "translator",
        "bylines-0-position": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = editor_client.post("/admin/articles/article/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.title == seed_data["title"]
    assert "<script>" not in article.body and article.body.count("<p>") == 19
    assert article.source_agency == agency
    assert [(b.role, b.contributor) for b in article.bylines.all()] == [
        (Byline.Role.TRANSLATOR, translator)
    ]
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "ترجمة: <a" in page and "عن: <a" in page


def test_admin_strings_django_left_untranslated_are_arabic(editor_client):
    catalog = editor_client.get("/admin/jsi18n/").content.decode()
    assert json.dumps("أدخل الأوقات بتوقيت")[1:-1] in catalog  # the catalogue is JSON-escaped
    html = editor_client.get("/admin/").content.decode()
    assert "غرفة الأخبار" in html and "إدارة جانغو" not in html


@pytest.mark.parametrize("role", ["مراسل", "مترجم", "محرر"])
def test_every_writing_role_credits_the_story_in_the_form(client, member, role):
    # The byline table is an inline: without the byline permissions Django leaves it out
    # of the form, and the story could only be credited by an administrator.
    client.force_login(member(role))
    section = Section.objects.create(name="سياسية", slug="politics")
    translator = Contributor.objects.create(name="حامد أحمد", slug="hamed-ahmed")
    assert 'name="bylines-TOTAL_FORMS"' in client.get("/admin/articles/article/add/").text
    form = {
        "title": "خبر بتوقيع",
        "body": "<p>نص الخبر.</p>",
        "section": section.pk,
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-contributor": translator.pk,
        "bylines-0-role": "translator",
        "bylines-0-position": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/articles/article/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="خبر بتوقيع")
    assert [(b.role, b.contributor) for b in article.bylines.all()] == [
        (Byline.Role.TRANSLATOR, translator)
    ]


def test_deleting_an_article_asks_in_arabic(client, member, make_article):
    # Django 6.1 quotes the object in curly quotes; its Arabic catalogue still has straight
    # ones, so without the project's catalogue this page was English.
    article = make_article(title="خبر للحذف")
    client.force_login(member("محرر"))
    html = client.get(f"/admin/articles/article/{article.pk}/delete/").text
    assert "أمتأكد أنك تريد حذف مقال «خبر للحذف»؟" in html
    assert "Are you sure" not in html
