"""The article page in a real browser: Debian's chromium, driven by Playwright."""

import unicodedata

import pytest
from fontTools.ttLib import TTFont

from jarida.paths import BASE_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"
FONTS_DIR = BASE_DIR / "jarida" / "reader" / "static" / "reader" / "fonts"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}


def _shipped_glyphs() -> set[int]:
    covered = set()
    for font_file in FONTS_DIR.glob("*.woff2"):
        covered |= set(TTFont(font_file).getBestCmap())
    return covered


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_seed_article_renders_rtl_in_the_arabic_font_without_missing_glyphs(
    browser, live_server, seed_article, viewport
):
    url = live_server.url + seed_article.get_absolute_url()
    width, height = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(url)
        page.evaluate("document.fonts.ready")
        layout = page.evaluate(
            """() => { const title = document.querySelector('.article-title'); return {
                direction: getComputedStyle(document.documentElement).direction,
                bodyDirection: getComputedStyle(document.body).direction,
                naskhLoaded: document.fonts.check('16px "Noto Naskh Arabic"', 'عربي'),
                loadedFaces: [...document.fonts].filter(f => f.status === 'loaded')
                    .map(f => f.family.replaceAll('"', '')),
                titleFont: getComputedStyle(document.querySelector('.article-title')).fontFamily,
                // Where the last (shortest) line of the title starts, against its box.
                firstLineRight: (() => {
                    const range = document.createRange();
                    range.selectNodeContents(title);
                    const rects = range.getClientRects();
                    return rects[rects.length - 1].right;
                })(),
                titleBoxRight: title.getBoundingClientRect().right,
                titleBoxLeft: title.getBoundingClientRect().left,
                viewportWidth: document.documentElement.clientWidth,
                scrollWidth: document.documentElement.scrollWidth,
                text: document.body.innerText,
            }; }"""
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"seed-article-{viewport}.png", full_page=True)
    finally:
        page.close()

    assert layout["direction"] == "rtl" and layout["bodyDirection"] == "rtl"
    assert layout["naskhLoaded"]
    assert "Noto Naskh Arabic" in layout["loadedFaces"]
    assert layout["titleFont"].startswith('"Noto Sans Arabic"')
    # Right-to-left: text starts at the right edge of its box; nothing overflows sideways.
    assert abs(layout["titleBoxRight"] - layout["firstLineRight"]) < 2
    assert layout["firstLineRight"] - layout["titleBoxLeft"] > 0
    assert layout["scrollWidth"] <= layout["viewportWidth"]
    # No tofu: every visible character has a glyph in the fonts the page ships.
    covered = _shipped_glyphs()
    missing = {
        ch
        for ch in layout["text"]
        if not ch.isspace() and unicodedata.category(ch) != "Cf" and ord(ch) not in covered
    }
    assert not missing, f"characters without a glyph: {sorted(missing)}"
    assert "نشر في: 9 فبراير, 2020: 08:48 م" in layout["text"]
