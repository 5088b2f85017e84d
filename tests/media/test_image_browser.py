"""An editor corrects a picture's caption in the back office and readers see it."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from jarida.accounts.roles import ensure_roles
from jarida.articles import services
from jarida.articles.models import Article, Section
from jarida.demo import loader
from jarida.media.models import Image
from jarida.media.services import save_image
from jarida.paths import BASE_DIR
from jarida.tasks.worker import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"


def _uploaded_story() -> Article:
    out = io.BytesIO()
    PILImage.new("RGB", (1200, 800), (30, 110, 90)).save(out, "JPEG")
    image = save_image(
        Image(file=SimpleUploadedFile("سوق.jpg", out.getvalue()), alt_text="سوق", caption="قديم")
    )
    section = Section.objects.get_or_create(slug="local", defaults={"name": "محليات"})[0]
    return services.save_article(
        Article(
            title="سوق الشورجة يستعيد زحامه",
            body="<p>نص الخبر.</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            featured_image=image,
        )
    )


def _demo_story() -> Article:
    report = loader.LoadReport()
    loader.load_site(report)
    path = loader.article_files()[0]
    return loader.load_article(loader._read(path), timezone.now(), report)


@pytest.mark.parametrize("make_story", [_uploaded_story, _demo_story], ids=["upload", "demo"])
def test_editor_corrects_a_caption_and_the_article_page_shows_it(
    browser, live_server, django_user_model, make_story
):
    ensure_roles()
    editor = django_user_model.objects.create_user("firas", password="pw-firas", is_staff=True)
    editor.groups.add(Group.objects.get(name="محرر"))
    story = make_story()
    run_queued_tasks()  # the renditions and the index, as the worker beside the site does
    image = story.featured_image
    image.refresh_from_db()
    assert image.renditions
    base = live_server.url

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "firas")
    page.fill("#id_password", "pw-firas")
    page.click("input[type=submit]")
    page.goto(f"{base}/admin/media/image/{image.pk}/change/")
    page.fill("#id_caption", "جسر الشهداء عند الغروب، بعد إعادة افتتاحه")
    page.fill("#id_credit", "تصوير: نور الهدى")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{base}{story.get_absolute_url()}")
    figure = page.inner_text("article figure")
    page.screenshot(path=ARTIFACTS / f"caption-edited-{story.pk}.png")
    page.close()
    assert "جسر الشهداء عند الغروب، بعد إعادة افتتاحه" in figure
    assert "تصوير: نور الهدى" in figure
    image.refresh_from_db()
    assert image.renditions  # the picture itself was left alone
