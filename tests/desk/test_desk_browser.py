"""The translation desk in a real browser: wire item → draft → review → published page."""

import pytest
from django.contrib.auth.models import Group

from jarida.accounts.roles import ensure_roles
from jarida.articles.models import Article
from jarida.paths import BASE_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"


@pytest.fixture
def staff(django_user_model):
    ensure_roles()

    def make(username, role, **names):
        user = django_user_model.objects.create_user(
            username, password="pw-" + username, is_staff=True, **names
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def _login(browser, base, username):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("input[type=submit]")
    return page


def test_wire_item_to_published_translation(browser, live_server, wire_item, staff):
    staff("hamed", "مترجم", first_name="حامد", last_name="أحمد")
    staff("firas", "محرر")
    base = live_server.url

    translator = _login(browser, base, "hamed")
    translator.goto(f"{base}/admin/desk/wireitem/")
    translator.click("text=ابدأ الترجمة")
    translator.click("input[value='ابدأ الترجمة']")
    translator.wait_for_selector(".translation-desk")
    assert "Iraq and Russia discussed" in translator.inner_text(".wire-original")
    translator.fill("#id_title", "روسيا تعرض تعاوناً عسكرياً مع العراق")
    editor = translator.locator(".ProseMirror:visible").first
    editor.click()
    translator.keyboard.press("Control+A")
    translator.keyboard.type("ناقش العراق وروسيا تعميق التعاون العسكري بينهما.")
    ARTIFACTS.mkdir(exist_ok=True)
    translator.screenshot(path=ARTIFACTS / "translation-desk.png", full_page=True)
    translator.click("button[name=_workflow][value=submit]")
    translator.wait_for_selector(".messagelist")
    translator.close()

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW

    chief = _login(browser, base, "firas")
    chief.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    chief.click("button[name=_workflow][value=publish]")
    chief.wait_for_selector(".messagelist")
    chief.close()

    article.refresh_from_db()
    assert article.is_visible
    reader = browser.new_page(viewport={"width": 390, "height": 844})
    reader.goto(base + article.get_absolute_url())
    assert reader.inner_text(".article-title") == "روسيا تعرض تعاوناً عسكرياً مع العراق"
    assert reader.inner_text(".byline--translator") == "ترجمة: حامد أحمد"
    assert reader.inner_text(".source") == "عن: اسوشيتدبرس"
    assert "تعميق التعاون العسكري" in reader.inner_text(".article-body")
    reader.screenshot(path=ARTIFACTS / "translation-published-phone.png", full_page=True)
    reader.close()
