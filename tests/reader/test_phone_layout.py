"""The reader site on a phone and a wide screen, in headless Chromium: nothing sticks out
sideways (not even a hidden field) and the back-to-top control never covers text."""

import pytest

from jarida.comments.models import Comment
from jarida.comments.services import text_key
from jarida.paths import BASE_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}

# Every element box that reaches past the left or right edge of the viewport, unless a
# scrolling or clipping ancestor (the section menu, a clipped spam trap) holds it in.
OUTSIDE_BOXES = """() => {
  const width = document.documentElement.clientWidth;
  const held = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll('*')].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    return (box.left < -0.5 || box.right > width + 0.5) && !held(el);
  }).map((el) => el.tagName + '.' + el.className);
}"""

# Lines of text in <main> that the back-to-top control's box overlaps on screen.
COVERED_LINES = """() => {
  const button = document.querySelector('.back-to-top');
  const b = button.getBoundingClientRect();
  if (button.hidden || b.width === 0) return [];
  const covered = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top) {
        covered.push(node.textContent.trim().slice(0, 30));
      }
    }
  }
  return covered;
}"""


@pytest.fixture
def commented_article(make_article):
    """A long article (several screens) with a comment and its form below it."""
    body = "".join(
        f"<p>الفقرة {n}: نص طويل عن مفاوضات المياه بين بغداد وأنقرة وحصة العراق من نهري "
        f"دجلة والفرات في موسم الجفاف، وما يقوله المزارعون في الجنوب عن مواسمهم.</p>"
        for n in range(40)
    )
    article = make_article(body=body, comments_open=True)
    Comment.objects.create(
        article=article, text="تعليق منشور", text_key=text_key("تعليق منشور"),
        status=Comment.Status.PUBLISHED,
    )  # fmt: skip
    return article


def test_article_with_comment_form_has_no_sideways_overflow_on_a_phone(
    browser, live_server, commented_article
):
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(live_server.url + commented_article.get_absolute_url())
        page.evaluate("document.fonts.ready")
        assert page.locator(".comment-hp input").count() == 1  # the trap is on the page
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        outside = page.evaluate(OUTSIDE_BOXES)
    finally:
        page.close()
    assert widths[0] <= widths[1]
    assert not outside, outside


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_back_to_top_never_covers_the_text(browser, live_server, commented_article, viewport):
    page = browser.new_page(viewport=viewport)
    try:
        page.goto(live_server.url + commented_article.get_absolute_url())
        page.evaluate("document.fonts.ready")
        covered = []
        # A screen at a time down the article: wherever the reader stops, no line is hidden.
        height = page.evaluate("document.documentElement.scrollHeight")
        for y in range(0, height, viewport["height"] // 2):
            page.evaluate(f"window.scrollTo({{top: {y}, behavior: 'instant'}})")
            page.wait_for_timeout(30)
            covered += page.evaluate(COVERED_LINES)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"back-to-top-{viewport['width']}.png")
        floating = page.evaluate(
            "getComputedStyle(document.querySelector('.back-to-top')).position === 'fixed'"
        )
    finally:
        page.close()
    assert not covered, covered
    # Where there is room beside the column it still floats; on a phone it stays put.
    assert floating == (viewport is WIDE)


CLS = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => resolve(total), 300);
})"""


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "wide"])
def test_writer_page_does_not_shift_while_fonts_arrive(browser, live_server, paper, viewport):
    page = browser.new_page(viewport=viewport)

    def slow_font(route):
        page.wait_for_timeout(400)  # a phone network: text paints before the fonts come
        route.continue_()

    try:
        page.route("**/*.woff2", slow_font)
        page.goto(live_server.url + paper["reporter"].get_absolute_url())
        page.evaluate("document.fonts.ready")
        shift = page.evaluate(CLS)
    finally:
        page.close()
    assert shift <= 0.02
