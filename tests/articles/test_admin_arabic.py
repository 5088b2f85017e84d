"""The back office as an editor sees it, in headless Chromium: no English left in the
interface of the article form, the article list and the comment queue, at phone and
desktop width."""

import re

import pytest

from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.paths import BASE_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"
VIEWPORTS = {"phone": (390, 844), "desktop": (1366, 900)}

# What the interface says: rendered text (screen-reader-only headings included, icon
# ligatures such as `format_bold` not), every option of a shown menu, tooltips,
# placeholders, accessible names and button values.
UI_STRINGS = """(root) => {
  root = document.querySelector(root || 'body');
  const strings = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, textarea, option, .material-icons')) continue;
    if (el.checkVisibility()) strings.push(node.textContent);
  }
  const named = 'select, [title], [placeholder], [aria-label], input[type=submit]';
  for (const el of root.querySelectorAll(named)) {
    if (!el.checkVisibility()) continue;
    if (el.tagName === 'SELECT') strings.push(...[...el.options].map((o) => o.text));
    for (const name of ['title', 'placeholder', 'aria-label']) {
      strings.push(el.getAttribute(name) || '');
    }
    if (el.type === 'submit') strings.push(el.value);
  }
  return strings.join('\\n');
}"""

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
ADDRESS = re.compile(r"(https?://\S+|\S+@\S+|/[\w/.-]+|[\w-]+\.(?:com|org|net|iq)\S*)")


def latin_words(text: str, allowed: set[str]) -> set[str]:
    """Latin-script words in `text`, addresses and the allowed names aside."""
    return set(LATIN_WORD.findall(ADDRESS.sub(" ", text))) - allowed


def test_latin_words_finds_english_but_not_addresses():
    assert latin_words("Filter by القسم - Select an option -", set()) == {
        "Filter",
        "by",
        "Select",
        "an",
        "option",
    }
    assert latin_words("الرابط https://example.com/a-b و /admin/x", set()) == set()


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    from jarida.accounts.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(
        "firas", password="pw-firas", is_staff=True, first_name="فراس", last_name="الحمداني"
    )
    # An editor who also moderates comments, so one sign-in sees the comment queue too.
    user.groups.add(*Group.objects.filter(name__in=["محرر", "مشرف التعليقات"]))
    return user


# Where a part of the page is cut: its box passes the edge of an ancestor that clips
# (overflow hidden or clip) rather than scrolls, or the page itself is wider than the
# screen. A part inside a box that scrolls sideways is reachable, not cut.
CUT_OFF = """(selector) => {
  const cut = [];
  const clips = (el) => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  for (const el of document.querySelectorAll(selector)) {
    if (!el.checkVisibility() || el.closest('.visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up).overflowX;
      if (style === 'auto' || style === 'scroll') break;
      const edge = up.getBoundingClientRect();
      if (clips(up) && (box.left < edge.left - 1 || box.right > edge.right + 1)) {
        cut.push(`${el.className || el.tagName} inside ${up.id || up.className || up.tagName}`);
        break;
      }
    }
  }
  if (document.documentElement.scrollWidth > innerWidth + 1) cut.push('page wider than screen');
  return cut;
}"""


def sign_in(page, base):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "firas")
    page.fill("#id_password", "pw-firas")
    page.click("input[type=submit]")


def choose(page, row_selector: str, text: str):
    """Pick `text` in the admin's autocomplete (select2) menu inside `row_selector`."""
    page.click(f"{row_selector} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:text-is('{text}')")


def enter_seed_article(page, seed_data):
    """Type the seed article into the add form as an editor does, and publish it."""
    page.fill("#id_title", seed_data["title"])
    page.click(".field-body .prose-editor > .ProseMirror")
    for number, paragraph in enumerate(seed_data["body_paragraphs"]):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.insert_text(paragraph)
    choose(page, ".form-row.field-section", seed_data["section"]["name"])
    byline = seed_data["bylines"][0]
    choose(page, "#bylines-0 .field-contributor", byline["name"])
    page.select_option("#id_bylines-0-role", byline["role"])
    page.fill("#id_published_at_0", "2020-02-09")
    page.fill("#id_published_at_1", "20:48:00")
    choose(page, ".form-row.field-source_agency", seed_data["source"]["agency"])


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_enters_the_seed_article_and_sees_only_arabic(
    browser, live_server, seed_data, editor, viewport
):
    from jarida.accounts.models import Contributor
    from jarida.articles.models import Agency, Article, Section

    width, height = VIEWPORTS[viewport]
    Section.objects.create(name=seed_data["section"]["name"], slug=seed_data["section"]["slug"])
    Contributor.objects.create(name=seed_data["bylines"][0]["name"], slug="hamed-ahmed")
    source = seed_data["source"]
    Agency.objects.create(name=source["agency"], name_en=source["agency_en"], slug="ap")
    # A browser in another time zone than the paper's: the admin then shows its note.
    context = browser.new_context(viewport={"width": width, "height": height}, timezone_id="UTC")
    page = context.new_page()
    base = live_server.url
    # The only Latin letters allowed: what the test itself entered or the seed article
    # carries: the agency's English name (in the agency menu) and the editor's login name
    # (the audit log names who published).
    allowed = {*LATIN_WORD.findall(source["agency_en"]), editor.username}
    found, cut = {}, {}

    def look(name: str, parts: str):
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # the admin's date widgets add their notes on load
        found[name] = latin_words(page.evaluate(UI_STRINGS), allowed)
        cut[name] = page.evaluate(CUT_OFF, parts)
        # Tables that must fit without sideways scrolling: the comment queue and the byline
        # table everywhere, the article list (more columns) on a desktop.
        fits = ["#changelist .results", "#bylines-group .wrapper"]
        if name == "article-list" and width < 1000:
            fits = []
        for box in fits:
            if page.locator(box).count() and page.locator(box).evaluate(
                "(box) => box.scrollWidth > box.clientWidth + 1"
            ):
                cut[name].append(f"{box} scrolls sideways")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"admin-{name}-{width}.png", full_page=True)

    try:
        sign_in(page, base)
        page.goto(f"{base}/admin/articles/article/add/")
        page.wait_for_selector(".field-body .prose-editor > .ProseMirror")
        enter_seed_article(page, seed_data)
        look("article-add", "input, select, textarea, .select2, .ProseMirror, td, th")
        page.click("button[name=_workflow][value=publish]")
        page.wait_for_url("**/admin/articles/article/")
        message = page.locator(".messagelist").inner_text()
        look("article-list", "#result_list td, #result_list th, .messagelist li")
        title_cell = page.locator("#result_list .field-title").first.bounding_box()
        article = Article.objects.get()
        Comment.objects.create(
            article=article,
            name="قارئ من البصرة",
            text="تحليل مفيد، لكن الخبر لم يذكر موقف البرلمان من الاتفاق ولا موعد التصويت عليه."
            " أرجو متابعة الموضوع في عدد الغد.",
            text_key=text_key("تحليل مفيد"),
        )
        page.goto(f"{base}/admin/comments/comment/")
        look("comment-queue", "#result_list td, #result_list th")
        text_cell = page.locator("#result_list .field-comment").first.bounding_box()
        page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
        look("article-change", "input, select, textarea, .select2, .ProseMirror, td, th")
    finally:
        context.close()
    bylines = article.bylines.select_related("contributor")
    seed_byline = seed_data["bylines"][0]
    assert [(b.role, b.contributor.name) for b in bylines] == [
        (seed_byline["role"], seed_byline["name"])
    ]
    assert article.body.count("<p>") == len(seed_data["body_paragraphs"])
    # The publish message gives the time as the reader site does, not an ISO stamp.
    assert "9 فبراير, 2020: 08:48 م" in message and "2020-02" not in message
    problems = {
        # Headlines and comments read as lines of text, not columns of single words.
        "headline column": title_cell["width"] < 180 and title_cell["width"],
        "comment column": text_cell["width"] < 200 and text_cell["width"],
        "English": {name: sorted(words) for name, words in found.items() if words},
        "cut off": {name: parts for name, parts in cut.items() if parts},
    }
    assert not any(problems.values()), problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_article_form_gives_the_text_room_and_spell_checking(
    browser, live_server, editor, viewport
):
    width, height = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "firas")
        page.fill("#id_password", "pw-firas")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/articles/article/add/")
        page.wait_for_selector(".field-body .prose-editor > .ProseMirror")
        sizes = page.evaluate(
            """() => {
              const width = (sel) => document.querySelector(sel).getBoundingClientRect().width;
              const editor = document.querySelector(".field-body .prose-editor > .ProseMirror");
              return {
                row: width('.form-row.field-title'),
                title: width('#id_title'),
                summary: width('#id_summary'),
                editorHeight: editor.getBoundingClientRect().height,
                spellcheck: editor.spellcheck,
                language: editor.closest('[lang]')?.lang,
                titleSpellcheck: document.querySelector('#id_title').spellcheck,
              };
            }"""
        )
    finally:
        page.close()
    # Full width: the field spans its row but for the padding (and, side by side, its label).
    assert sizes["title"] >= 0.7 * sizes["row"] and sizes["summary"] >= 0.7 * sizes["row"]
    assert sizes["editorHeight"] >= 300
    assert sizes["spellcheck"] and sizes["titleSpellcheck"] and sizes["language"] == "ar"


def test_every_rich_text_form_has_arabic_toolbar_tooltips(browser, live_server, admin_user):
    # The static pages' form (site managers) uses the same editor as the article's. The
    # form only: a superuser's menu also lists third-party apps (axes, django-otp) whose
    # names no catalogue translates.
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "password")
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/pages/page/add/")
        page.wait_for_selector(".prose-menubar__button[title='عريض']")
        words = latin_words(page.evaluate(UI_STRINGS, "#content-main"), set())
        # The link dialog: its labels and buttons come through the admin's JS catalogue.
        page.click(".prose-editor > .ProseMirror")
        page.keyboard.insert_text("نص الرابط")
        page.keyboard.press("Control+A")
        page.click(".prose-menubar__button[title='أدرج رابطًا']")
        page.wait_for_selector("dialog.prose-editor-dialog[open]")
        dialog = latin_words(page.evaluate(UI_STRINGS, "dialog.prose-editor-dialog[open]"), set())
    finally:
        page.close()
    assert not words and not dialog, (words, dialog)
