"""The comment form in headless Chromium: the counter, the token, the no-JavaScript path."""

import json
import sys
import unicodedata

import pytest
from comment_strategies import ARABIC, EMOJI, JUNK, SPACE, TASHKEEL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jarida.comments.models import Comment
from jarida.comments.text import MAX_LENGTH, clean_comment_text, comment_length
from jarida.paths import BASE_DIR

pytestmark = pytest.mark.browser

ARTIFACTS = BASE_DIR / "test-artifacts"
SCRIPT = BASE_DIR / "jarida" / "comments" / "static" / "comments" / "comments.js"
PHONE = {"width": 390, "height": 844}
TYPED = "رأيٌ في الخَبَرِ 👍🏽 والعراقُ 🇮🇶 أوّلًا"

# Assigned characters only: the browser's Unicode may be newer than Python's.
ASSIGNED = st.characters(exclude_categories=["Cs", "Cn"])
TEXTS = st.lists(st.one_of(ARABIC, TASHKEEL, EMOJI, JUNK, SPACE, ASSIGNED), max_size=300).map(
    "".join
)


@pytest.fixture(scope="module")
def js_page(browser):
    """A blank page running comments.js: its cleaning and counting, without a server."""
    page = browser.new_page()
    page.set_content(f"<script>{SCRIPT.read_text()}</script>")
    yield page
    page.close()


def _browser_clean(page, texts):
    return page.evaluate(
        "texts => texts.map(t => [JaridaComments.clean(t), JaridaComments.count(t)])", texts
    )


# The counter's unit: the same string gives the same count in the browser and server.


@pytest.mark.parametrize(
    "text",
    [
        "بَغْدَادُ عاصمةُ العِراقِ",
        "أكثـــــر",
        "😀" * 300,
        "👨‍👩‍👧 🇮🇶 👍🏽 ❤️",
        "ا\u0654 ا\u0653 e\u0301 \u1100\u1161",  # combining marks that NFC composes
        "ب" + "\u064e" * 50,
        "\u202eمقلوب\u202c \u2066عزل\u2069 \ufeffBOM \uf06fPUA \U0010fffd",
        "سطر\r\nسطر\rسطر\u2028سطر\n\n\n\n   \t\n",
        "\x00\x1b[31m\x85\x7f",
    ],
)
def test_browser_and_server_count_alike_on_fixed_samples(js_page, text):
    [[cleaned, count]] = _browser_clean(js_page, [text])
    assert cleaned == clean_comment_text(text)
    assert count == comment_length(text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=40))
def test_browser_and_server_count_alike_on_generated_texts(js_page, texts):
    results = _browser_clean(js_page, texts)
    assert [r[0] for r in results] == [clean_comment_text(t) for t in texts]
    assert [r[1] for r in results] == [comment_length(t) for t in texts]


def test_browser_and_server_clean_every_character_alike(js_page):
    """One character at a time, every assigned code point: the junk classes match."""
    chars = [
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) not in {"Cs", "Cn"}
    ]
    cleaned = js_page.evaluate(
        "chars => JSON.stringify(chars.map(c => JaridaComments.clean(c)))", chars
    )
    mismatched = [
        f"U+{ord(c):04X}"
        for c, js in zip(chars, json.loads(cleaned), strict=True)
        if js != clean_comment_text(c)
    ]
    assert not mismatched


# The form on a live page ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reader_types_emoji_and_tashkeel_and_the_comment_reaches_the_queue(
    browser, live_server, make_article, django_user_model
):
    article = make_article()
    django_user_model.objects.create_superuser("moderator", "m@example.com", "pw")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        assert context.cookies() == []  # the cached article page sets none
        textarea = page.locator("#comment-text")
        with page.expect_response("**/comments/token/"):
            textarea.click()
        assert any(c["name"] == "csrftoken" for c in context.cookies())
        textarea.press_sequentially(TYPED)
        counter = page.locator("#comment-counter").inner_text()
        browser_count = page.evaluate(
            "JaridaComments.count(document.querySelector('#comment-text').value)"
        )
        assert browser_count == comment_length(TYPED) == len(clean_comment_text(TYPED))
        assert counter == f"{MAX_LENGTH - comment_length(TYPED)} حرف متبقي"
        assert page.locator("#comment-counter").get_attribute("aria-live") == "polite"
        page.locator("#comment-name").fill("قارئة من البصرة")
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#comments").screenshot(path=ARTIFACTS / "comments-typing-phone.png")
        page.get_by_role("button", name="أرسل التعليق").click()
        page.wait_for_url("**/comments/received/**")
        assert "بانتظار المراجعة" in page.locator("main").inner_text()

        comment = Comment.objects.get()
        assert comment.text == clean_comment_text(TYPED)
        assert len(comment.text) == browser_count

        page.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
        page.locator("#id_username").fill("moderator")
        page.locator("#id_password").fill("pw")
        page.locator("input[type=submit]").click()
        page.wait_for_url("**/admin/comments/comment/?status__exact=pending")
        assert comment.text in page.locator("#result_list").inner_text()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_reply_link_turns_the_form_into_a_reply(browser, live_server, make_article, make_comment):
    article = make_article()
    parent = make_comment(article, "تعليق أول", name="سلمى")
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.get_by_role("link", name="ردّ").click()
        assert page.url.endswith(article.get_absolute_url())  # no page load
        assert page.locator("input[name=parent]").input_value() == str(parent.pk)
        assert page.locator("[data-replying]").inner_text().startswith("ردّك على سلمى.")
        assert page.evaluate("document.activeElement.id") == "comment-text"
        page.get_by_role("button", name="إلغاء الرد").click()
        assert page.locator("input[name=parent]").input_value() == ""
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_counter_stops_input_at_zero(browser, live_server, make_article):
    article = make_article()
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(live_server.url + article.get_absolute_url())
        textarea = page.locator("#comment-text")
        textarea.fill("ب" * 250)
        textarea.press_sequentially("😀😀😀😀😀😀😀")
        value = textarea.input_value()
        assert comment_length(value) == 255 and value.endswith("😀" * 5)
        assert page.locator("#comment-counter").inner_text() == "0 حرف متبقي"
        page.keyboard.insert_text("نص ملصوق طويل")  # a paste past the limit is cut
        assert textarea.input_value() == value
    finally:
        page.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_text_survives_the_confirmation_page(
    browser, live_server, make_article, settings
):
    settings.COMMENTS_MIN_FILL_SECONDS = 0
    article = make_article()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.locator("#comment-text").fill(TYPED + "\nسطر ثانٍ")
        page.locator("#comment-email").fill("reader@example.com")
        page.get_by_role("button", name="أرسل التعليق").click()
        page.wait_for_load_state()
        assert "لم يكتمل إرسال تعليقك بعد" in page.locator("main").inner_text()
        assert page.locator("#comment-text").input_value() == TYPED + "\nسطر ثانٍ"
        assert page.locator("#comment-email").input_value() == "reader@example.com"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "comments-confirmation-phone.png", full_page=True)
        page.get_by_role("button", name="أرسل التعليق").click()
        page.wait_for_url("**/comments/received/**")
        assert "بانتظار المراجعة" in page.locator("main").inner_text()
    finally:
        context.close()
    assert Comment.objects.get().text == clean_comment_text(TYPED + "\nسطر ثانٍ")


@pytest.mark.django_db(transaction=True)
def test_comment_block_on_a_phone(browser, live_server, make_article, make_comment):
    article = make_article()
    first = make_comment(article, "يعني العراق سوريه الثانية ...")
    make_comment(
        article,
        "لا أتفق مع هذا الرأي، فالمقارنة ظالمة.\nوالتفاصيل في الخبر نفسه.",
        parent=first,
        name="سلمى الجبوري",
    )
    make_comment(article, "Great reporting, thank you! 👏", name="John")
    make_comment(article, "\u202e" + "ب" * 80 + "…كلمة_طويلة_جدا_بلا_مسافات" * 3)
    make_comment(article, "ينتظر المراجعة فلا يظهر", status=Comment.Status.PENDING)
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(live_server.url + article.get_absolute_url())
        page.evaluate("document.fonts.ready")
        block = page.locator("#comments")
        block.scroll_into_view_if_needed()
        layout = page.evaluate(
            """() => ({
                scrollWidth: document.documentElement.scrollWidth,
                viewportWidth: document.documentElement.clientWidth,
                direction: getComputedStyle(document.querySelector('#comments')).direction,
                honeypot: document.querySelector('.comment-hp').getBoundingClientRect().toJSON(),
            })"""
        )
        ARTIFACTS.mkdir(exist_ok=True)
        block.screenshot(path=ARTIFACTS / "comments-phone.png")
        text = block.inner_text()
    finally:
        page.close()
    assert layout["direction"] == "rtl"
    assert layout["scrollWidth"] <= layout["viewportWidth"]
    honeypot = layout["honeypot"]  # clipped where it stands: inside the page, one pixel
    assert honeypot["left"] >= 0 and honeypot["right"] <= layout["viewportWidth"]
    assert honeypot["width"] <= 1 and honeypot["height"] <= 1
    assert "جميع التعليقات 4" in text and "ينتظر المراجعة" not in text
