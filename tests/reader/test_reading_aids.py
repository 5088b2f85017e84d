"""Reading aids (issue 14) and accessibility in a real browser: the reading time in Arabic,
a text size that survives a reload of a cached page without a cookie, the phone's share
sheet beside plain links, the dark theme, the print stylesheet, names isolated from the
sentence, and axe-core with no violation on every reader page type in both themes."""

import base64
import hashlib
import json
import os
import re
from datetime import UTC, datetime

import pytest

from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.core.models import SiteSettings
from jarida.core.templatetags.arabic import reading_minutes, reading_time
from jarida.paths import BASE_DIR

pytestmark = pytest.mark.django_db

ARTIFACTS = BASE_DIR / "test-artifacts"
AXE_JS = BASE_DIR / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
AXE_RUN = """axe.run(document).then((r) => r.violations.map(
  (v) => [v.id, v.nodes.map((n) => n.target.join(' '))]))"""


def _words(n: int) -> str:
    return "<p>" + " ".join(["كلمة"] * n) + "</p>"


@pytest.mark.parametrize(
    ("words", "shown"),
    [(10, "دقيقة واحدة"), (360, "دقيقتان"), (540, "3 دقائق"), (1800, "10 دقائق"),
     (1980, "11 دقيقة"), (18000, "100 دقيقة")],
)  # fmt: skip
def test_reading_time_agrees_with_its_number_in_arabic(words, shown):
    site = SiteSettings.load()
    assert reading_time({"site": site}, _words(words)) == shown


def test_reading_time_counts_words_not_markup():
    body = '<p><a href="https://example.com/a/very/long/link">رابط</a> كلمة أخرى ثالثة</p>' * 90
    assert reading_minutes(body) == 2  # 360 words; with the tags' tokens it would be 3


def test_article_shows_reading_time_and_isolates_writer_names(client, make_article, paper):
    story = paper["published"][0]
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<p class="reading-time">مدة القراءة: دقيقة واحدة</p>' in html
    name = paper["reporter"].name
    assert f"<bdi>{name}</bdi>" in html
    assert 'data-text-size-step="1"' in html and 'class="share-native"' in html


def _commented(article):
    first = Comment.objects.create(
        article=article, name="Ahmed K.", text="تعليق منشور", text_key=text_key("تعليق منشور"),
        status=Comment.Status.PUBLISHED,
    )  # fmt: skip
    Comment.objects.create(
        article=article, parent=first, name="سلمى", text="ردّ", text_key=text_key("ردّ"),
        status=Comment.Status.PUBLISHED,
    )  # fmt: skip
    Comment.objects.update(created_at=datetime(2026, 6, 15, 9, 30, 5, 123456, tzinfo=UTC))
    return article


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_text_size_survives_a_reload_of_the_cached_page_without_a_cookie(
    browser, live_server, paper
):
    url = live_server.url + paper["published"][0].get_absolute_url()
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(url)
        size = "getComputedStyle(document.querySelector('.article-body')).fontSize"
        before = float(page.evaluate(size).removesuffix("px"))
        page.click('[data-text-size-step="1"]')
        page.click('[data-text-size-step="1"]')
        page.click('[data-text-size-step="1"]')  # two steps at most
        larger = float(page.evaluate(size).removesuffix("px"))
        # The class is on <html> as the document is parsed: the first paint is in the size.
        page.add_init_script(
            "document.addEventListener('readystatechange', () => { if (!window.seen)"
            " window.seen = document.documentElement.className; })"
        )
        page.reload()
        assert page.evaluate("window.seen").split() == ["js", "text-size-2"]
        assert float(page.evaluate(size).removesuffix("px")) == larger > before * 1.25
        assert context.cookies() == []
        page.click('[data-text-size-step="-1"]')
        page.reload()
        assert "text-size-1" in page.evaluate("document.documentElement.className")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_share_button_opens_the_share_sheet_only_where_there_is_one(browser, live_server, paper):
    story = paper["published"][0]
    url = live_server.url + story.get_absolute_url()
    plain = browser.new_page(viewport=PHONE)
    try:
        plain.goto(url)
        assert plain.evaluate("typeof navigator.share") == "undefined"  # desktop Linux
        assert not plain.locator(".share-native").is_visible()
        assert plain.locator(".share-links a").count() == 5
    finally:
        plain.close()
    phone = browser.new_page(viewport=PHONE)
    try:
        phone.add_init_script(
            "navigator.share = (data) => { window.shared = data; return Promise.resolve(); }"
        )
        phone.goto(url)
        phone.click(".share-native")
        shared = phone.evaluate("window.shared")
    finally:
        phone.close()
    assert shared["url"] == f"{live_server.url}/{story.section.slug}/{story.pk}/"
    assert shared["title"].startswith(story.title)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dark_theme_follows_the_system_and_print_keeps_only_the_story(browser, live_server, paper):
    url = live_server.url + _commented(paper["published"][0]).get_absolute_url()
    ARTIFACTS.mkdir(exist_ok=True)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)
        page = context.new_page()
        try:
            page.goto(url)
            colours[scheme] = page.evaluate(
                "[getComputedStyle(document.body).backgroundColor,"
                " getComputedStyle(document.querySelector('.article-title')).color]"
            )
            page.screenshot(path=ARTIFACTS / f"reading-aids-{scheme}.png", full_page=True)
        finally:
            context.close()
    assert colours["light"][0] == "rgb(253, 252, 249)"
    assert colours["dark"][0] == "rgb(22, 21, 15)" and colours["dark"][1] == "rgb(236, 232, 225)"

    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(url)
        page.emulate_media(media="print")
        shown = page.evaluate(
            "(sel) => sel.map((s) => [...document.querySelectorAll(s)]"
            ".some((el) => el.getClientRects().length > 0))",
            [".article-title", ".article-body", ".source, .bylines", ".sections-nav",
             ".site-footer", ".comments", ".share-links", ".text-size", ".header-search"],
        )  # fmt: skip
        page.pdf(path=ARTIFACTS / "article-print.pdf")
    finally:
        page.close()
    assert shown == [True, True, True, False, False, False, False, False, False]


def _axe_source() -> str:
    if not AXE_JS.exists():
        problem = f"{AXE_JS} is absent: run `make axe` (npm install axe-core into .venv/axe)"
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    return AXE_JS.read_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_reader_page(browser, live_server, paper, scheme):
    axe = _axe_source()
    pages = {
        "home": "/",
        "section": "/politics/",
        "article-with-comments": _commented(paper["published"][1]).get_absolute_url(),
        "writer": paper["reporter"].get_absolute_url(),
        "tag": paper["tag"].get_absolute_url(),
        "search": "/search/?q=دجلة",
        "not-found": "/no-such-section-here/",
    }
    found = {}
    for viewport in (PHONE, {"width": 1366, "height": 900}):
        # bypass_csp: axe is injected as an inline script the pages (rightly) refuse.
        context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        try:
            for name, path in pages.items():
                page.goto(live_server.url + path)
                page.evaluate("document.fonts.ready")
                page.add_script_tag(content=axe)
                result = page.evaluate(AXE_RUN)
                if result:
                    found[f"{name} {viewport['width']}"] = result
            # A control: an image without a text alternative shows axe really checks.
            page.evaluate("document.body.append(Object.assign(new Image(), {src: '/x.png'}))")
            control = page.evaluate("axe.run(document).then((r) => r.violations.map((v) => v.id))")
            assert "image-alt" in control
        finally:
            context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_head_script_is_allowed_by_its_hash_and_pages_carry_no_nonce(client, paper):
    """A nonce would make each rendering different (ETags differ across servers)."""
    response = client.get(paper["published"][0].get_absolute_url())
    html = response.content.decode()
    script = re.search(r"<script>(.*?)</script>", html, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "nonce" not in html
