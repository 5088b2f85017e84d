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
UI_STRINGS = """() => {
  const strings = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, textarea, option, .material-icons')) continue;
    if (el.checkVisibility()) strings.push(node.textContent);
  }
  const named = 'select, [title], [placeholder], [aria-label], input[type=submit]';
  for (const el of document.querySelectorAll(named)) {
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


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_editor_sees_only_arabic_on_the_article_form_and_list(
    browser, live_server, seed_article, seed_data, editor, viewport
):
    width, height = VIEWPORTS[viewport]
    Comment.objects.create(
        article=seed_article, text="تعليق ينتظر المراجعة", text_key=text_key("تعليق ينتظر")
    )
    # A browser in another time zone than the paper's: the admin then shows its note.
    context = browser.new_context(viewport={"width": width, "height": height}, timezone_id="UTC")
    page = context.new_page()
    base = live_server.url
    # Names the seed article carries in Latin letters (its agency's English name, say).
    allowed = set(LATIN_WORD.findall(str(seed_data.get("source", {}).get("agency_en", ""))))
    found = {}
    try:
        page.goto(f"{base}/admin/login/")
        page.fill("#id_username", "firas")
        page.fill("#id_password", "pw-firas")
        page.click("input[type=submit]")
        for name, url in {
            "article-add": "/admin/articles/article/add/",
            "article-list": "/admin/articles/article/",
            "article-change": f"/admin/articles/article/{seed_article.pk}/change/",
            "comment-queue": "/admin/comments/comment/",
        }.items():
            page.goto(base + url)
            page.wait_for_load_state("load")
            page.wait_for_timeout(200)  # the admin's date widgets add their notes on load
            found[name] = latin_words(page.evaluate(UI_STRINGS), allowed)
            if name == "article-list":  # a headline, not a column of single words
                title_width = page.locator("#result_list .field-title").first.bounding_box()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / f"admin-{name}-{width}.png", full_page=True)
    finally:
        context.close()
    assert title_width["width"] >= 180
    english = "; ".join(f"{name}: {' '.join(sorted(w))}" for name, w in found.items() if w)
    assert not english, english


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
                titleSpellcheck: document.querySelector('#id_title').spellcheck,
              };
            }"""
        )
    finally:
        page.close()
    # Full width: the field spans its row but for the padding (and, side by side, its label).
    assert sizes["title"] >= 0.7 * sizes["row"] and sizes["summary"] >= 0.7 * sizes["row"]
    assert sizes["editorHeight"] >= 300
    assert sizes["spellcheck"] and sizes["titleSpellcheck"]
