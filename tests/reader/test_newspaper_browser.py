"""The paper as readers see it, in headless Chromium at 390 and 1366 pixels: the seed
article with every block, the home page and a section page. Screenshots are kept under
test-artifacts/ (look at them); the checks are what the eye would catch."""

import io
from datetime import datetime, timedelta

import pytest

from jarida.articles import services
from jarida.articles.models import Byline, Section
from jarida.core.models import SiteSettings
from jarida.paths import BASE_DIR
from jarida.readership import counting
from jarida.related.services import set_choices
from jarida.tasks.worker import run_queued_tasks
from tests.reader.test_phone_layout import OUTSIDE_BOXES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = BASE_DIR / "test-artifacts"
VIEWPORTS = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
COLOURS = ["#2a6f97", "#7a4419", "#3d5a40", "#6b2d5c", "#8c6d1f", "#34495e"]
TOPICS = [
    ("سياسية", "البرلمان يناقش قانون الانتخابات الجديد وسط خلافات بين الكتل"),
    ("اقتصاد", "أسعار النفط ترتفع والحكومة تعد موازنة تكميلية للمحافظات"),
    ("رياضة", "المنتخب الوطني يستعد لمباراة حاسمة في تصفيات كأس آسيا"),
    ("ثقافة", "معرض بغداد الدولي للكتاب يفتح أبوابه بمشاركة مئات الناشرين"),
]


def _image(colour: str, caption: str = "", credit: str = "", size=(1200, 675)):
    from django.core.files.base import ContentFile
    from PIL import Image as PILImage

    from jarida.media.models import Image

    picture = io.BytesIO()
    PILImage.new("RGB", size, colour).save(picture, "JPEG")
    image = Image(alt_text=caption or "صورة الخبر", caption=caption, credit=credit)
    image.file.save("picture.jpg", ContentFile(picture.getvalue()), save=True)
    return image


@pytest.fixture
def front_page(seed_article, seed_data, make_article):
    """The seed article with its image, related stories, most read and the paper's links;
    sixteen more stories in four sections with pictures for the home and section pages."""
    site = SiteSettings.load()
    for network, field, _ in SiteSettings.SOCIAL_NETWORKS:
        setattr(site, field, f"https://{network}.example.com/almada")
    site.save()
    seed_article.featured_image = _image(
        "#5b6770", "السفير الروسي لدى العراق خلال لقائه رئيس أركان الجيش", "تصوير: وكالة الأنباء"
    )
    seed_article.dateline = "بغداد"
    services.save_article(seed_article)
    sections = {seed_article.section.name: seed_article.section}
    for i, (name, _) in enumerate(TOPICS[1:], start=1):
        sections[name] = Section.objects.create(name=name, slug=f"s{i}", position=i)
    reporter = services.contributor_named("تميم الحسن")
    start = datetime.fromisoformat("2026-06-14T08:00:00+03:00")
    stories = []
    for n in range(16):
        name, title = TOPICS[n % 4]
        stories.append(
            make_article(
                title=f"{title} ({n + 1})",
                summary="تفاصيل الخبر كما نقلها مراسلو الجريدة من المحافظات، مع ردود الفعل.",
                body="".join(f"<p>فقرة {k} من {title}.</p>" for k in range(6)),
                section=sections[name],
                dateline="بغداد",
                bylines=[services.BylineSpec(reporter, Byline.Role.AUTHOR)],
                featured_image=_image(COLOURS[n % len(COLOURS)]),
                published_at=start + timedelta(hours=n),
            )
        )
    # The section page's section holds a fuller page, as a daily's sections do (older
    # stories: the home page's lists are unchanged).
    for n in range(6):
        make_article(
            title=f"البنك المركزي يبقي سعر الصرف ثابتًا ويطمئن الأسواق ({n + 17})",
            summary="قرار البنك المركزي كما شرحه محافظه في مؤتمر صحفي، وتوقعات التجار.",
            body="<p>فقرة من الخبر.</p>",
            section=sections["اقتصاد"],
            dateline="البصرة",
            bylines=[services.BylineSpec(reporter, Byline.Role.AUTHOR)],
            featured_image=_image(COLOURS[(n + 2) % len(COLOURS)]),
            published_at=start - timedelta(days=1, hours=n),
        )
    item = seed_data["related"]["items"][0]
    related = make_article(
        title=item["title"],
        body="<p>"
        + item["excerpt_display"].removeprefix("بغداد/ تميم الحسن ").removesuffix(" […]")
        + " التعاون الأمني بين البلدين.</p>",
        dateline=item["dateline"],
        bylines=[services.BylineSpec(reporter, Byline.Role.AUTHOR)],
        section=seed_article.section,
        published_at=datetime.fromisoformat(f"{item['date']}T12:00:00+03:00"),
    )
    set_choices(seed_article, pinned=[related.pk], excluded=[])
    run_queued_tasks()  # the related stories, chosen by the worker
    now = datetime.now().astimezone()
    for rank, story in enumerate(stories[:6]):
        for reader in range(6 - rank):
            counting.record_view(
                story.pk, f"203.0.113.{reader}", BROWSER_UA, now - timedelta(hours=3)
            )
    counting.flush(now)
    _paid_and_printed(now, stories[13])  # an economy story: on the home and section pages
    return {"article": seed_article, "section": sections["اقتصاد"], "stories": stories}


def _paid_and_printed(now, paid_story):
    """A running campaign in every placement (banners, and a sponsored story in the
    sidebar), a supplement issue, and the paper's written pages."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from jarida.pages.models import Page
    from jarida.sponsorship.models import Campaign, Creative, Placement
    from jarida.supplements.models import Issue, Series

    campaign = Campaign.objects.create(
        name="حملة المصرف", advertiser="المصرف", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )  # fmt: skip
    sizes = {"top": (728, 90), "in_article": (600, 150), "sidebar": (300, 250)}
    for position in Placement.Position:
        placement = Placement.objects.create(
            name=position.label, position=position, after_paragraph=4
        )
        if position == Placement.Position.SIDEBAR:
            # A sponsored story: promoted in the sidebar, labelled wherever it is listed.
            Creative.objects.create(campaign=campaign, placement=placement, article=paid_story)
            continue
        banner = _image("#b03a2e", "عرض المصرف", size=sizes[position])
        Creative.objects.create(
            campaign=campaign, placement=placement, image=banner, alt_text="حساب التوفير من المصرف",
            link_url="https://bank.example.com/",
        )  # fmt: skip
    series = Series.objects.create(name="ملحق منارات", slug="manarat", description="ثقافي أسبوعي")
    Issue.objects.create(
        series=series, number=412, date=date(2026, 6, 11), cover=_image("#1f618d", size=(300, 420)),
        pdf=SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n"),
    )  # fmt: skip
    for n, (slug, title) in enumerate(
        [
            ("about", "من نحن"),
            ("contact", "اتصل بنا"),
            ("advertise", "أعلن معنا"),
            ("privacy", "الخصوصية"),
        ]
    ):
        Page.objects.create(
            slug=slug, title=title, position=n, body="<p>صفحة من صفحات الجريدة.</p>"
        )


def _open(browser, live_server, path, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    # The browser's clock on the suite's calendar: reader.js shows the campaigns running
    # by the reader's clock.
    page.clock.install(time=datetime.now().astimezone())
    page.goto(live_server.url + path)
    page.evaluate("document.fonts.ready")
    return page


def _shoot(page, name, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    # A reader scrolls: lazy pictures below the first screens load before the shot (a
    # full-page shot alone leaves them blank, as no reader sees them), then back to the top.
    page.evaluate(
        """async () => {
          for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
            scrollTo(0, y);
            await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 30)));
          }
          await Promise.all([...document.images].filter((i) => !i.complete).map(
            (i) => new Promise((done) => { i.onload = i.onerror = done; })));
          scrollTo(0, 0);
        }"""
    )
    page.screenshot(path=ARTIFACTS / f"newspaper-{name}-{viewport}.png", full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_seed_article_page_with_every_block(browser, live_server, front_page, viewport):
    page = _open(browser, live_server, front_page["article"].get_absolute_url(), viewport)
    try:
        _shoot(page, "seed-article", viewport)
        text = page.evaluate("document.body.innerText")
        top = page.evaluate("document.querySelector('.back-to-top').textContent.trim()")
        outside = page.evaluate(OUTSIDE_BOXES)
        first_line = page.evaluate(
            "document.querySelector('.article-body p').innerText.slice(0, 40)"
        )
        caption, credit = page.evaluate(
            """() => ['.caption', '.credit'].map(
                 (s) => document.querySelector('figcaption ' + s).getBoundingClientRect())
                 .map((r) => [r.top, r.bottom])"""
        )
        share_scripts = page.evaluate(
            "[...document.scripts]"
            ".filter((s) => s.src && !s.src.startsWith(location.origin)).length"
        )
    finally:
        page.close()
    for heading in (
        "مقالات ذات صلة",
        "الأكثر قراءة",
        "انضم الى المحادثة",
        "اعلان ممول",
        "ملاحق المدى",
    ):
        assert heading in text, heading
    assert top == "TOP"  # floats, hidden until the reader scrolls, on wide screens
    assert "16-04-2024" in text and "بغداد/ تميم الحسن" in text and "[…]" in text
    assert first_line.startswith("بغداد/ ذكرت وزارة الدفاع")  # dateline opens the body
    assert credit[0] >= caption[1] - 1  # the credit on a line of its own
    assert share_scripts == 0
    assert not outside, outside


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page(browser, live_server, front_page, viewport):
    page = _open(browser, live_server, "/", viewport)
    try:
        _shoot(page, "home", viewport)
        outside = page.evaluate(OUTSIDE_BOXES)
        gap = page.evaluate(
            """() => {
              const lead = document.querySelector('.card--lead').getBoundingClientRect();
              const rest = document.querySelector('.secondary-list').getBoundingClientRect();
              return Math.abs(lead.bottom - rest.bottom);
            }"""
        )
        sidebar = page.evaluate(
            "document.querySelector('.sidebar .most-read').getBoundingClientRect().left"
        )
        text = page.evaluate("document.body.innerText")
    finally:
        page.close()
    assert not outside, outside
    assert "الأكثر قراءة" in text
    if viewport == "1366":
        # Lead and secondary column end together (no empty block under the lead), and
        # the sidebar stands beside the news, on the left in a right-to-left page.
        assert gap < 200, gap
        assert sidebar < 400


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_section_page_is_a_dense_list(browser, live_server, front_page, viewport):
    page = _open(browser, live_server, front_page["section"].get_absolute_url(), viewport)
    try:
        _shoot(page, "section", viewport)
        outside = page.evaluate(OUTSIDE_BOXES)
        image_heights = page.evaluate(
            "[...document.querySelectorAll('.archive-list .card-image img')]"
            ".map((img) => img.getBoundingClientRect().height)"
        )
    finally:
        page.close()
    assert not outside, outside
    assert image_heights and max(image_heights) < 160  # thumbnails, not full-width pictures


def test_phone_header_is_compact_with_a_menu_button(browser, live_server, front_page):
    page = _open(browser, live_server, "/", "390")
    try:
        header = page.evaluate(
            """() => ['.site-header', '.masthead'].map((s) => {
                 const r = document.querySelector(s).getBoundingClientRect();
                 return [s, Math.round(r.top), Math.round(r.bottom)]; })"""
        )
        button = page.locator(".menu-toggle")
        assert button.is_visible()
        assert not page.locator(".sections-nav").is_visible()
        button.focus()
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert page.locator(".sections-nav a", has_text="اقتصاد").is_visible()
        _shoot(page, "menu-open", "390")
    finally:
        page.close()
    own = header[0][2] - header[1][1]  # the paper's own header, the paid banner apart
    assert own < 90, header


def test_top_control_works_by_keyboard_and_respects_reduced_motion(
    browser, live_server, front_page
):
    context = browser.new_context(viewport=VIEWPORTS["390"], reduced_motion="reduce")
    page = context.new_page()
    page.clock.install(time=datetime.now().astimezone())
    try:
        page.goto(live_server.url + front_page["article"].get_absolute_url())
        behaviour = page.evaluate("getComputedStyle(document.documentElement).scrollBehavior")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.locator(".back-to-top").focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        scrolled = page.evaluate("window.scrollY")
        focused = page.evaluate("document.activeElement.id")
    finally:
        context.close()
    assert behaviour == "auto"
    assert scrolled == 0
    assert focused == "top"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_search_page_is_a_dense_list_with_a_sidebar(browser, live_server, front_page, viewport):
    from urllib.parse import quote

    from jarida.search.services import rebuild_index

    rebuild_index()  # the index from this test's stories only (earlier tests' rows flushed)
    page = _open(browser, live_server, "/search/?q=" + quote("المحافظات"), viewport)
    try:
        _shoot(page, "search", viewport)
        outside = page.evaluate(OUTSIDE_BOXES)
        image_heights = page.evaluate(
            "[...document.querySelectorAll('.search-results .card-image img')]"
            ".map((img) => img.getBoundingClientRect().height)"
        )
        boxes = page.evaluate(
            """() => ['.main-column', '.sidebar', '.search-results'].map((s) => {
                 const r = document.querySelector(s).getBoundingClientRect();
                 return {left: r.left, right: r.right, width: r.width, height: r.height}; })"""
        )
        labels = page.evaluate(
            "[...document.querySelectorAll('.search-results .card--sponsored .paid-label')]"
            ".map((p) => p.offsetHeight > 0 && p.textContent)"
        )
    finally:
        page.close()
    main, sidebar, results = boxes
    assert not outside, outside
    assert len(image_heights) == 10 and max(image_heights) < 160  # a page of thumbnails
    assert labels == ["اعلان ممول"]  # the paid story's card says so, visibly
    if viewport == "1366":
        # The sidebar beside the results (on the left), the results filling their column.
        assert sidebar["right"] <= main["left"] and sidebar["width"] > 250, boxes
        assert results["width"] >= main["width"] - 2, boxes
    else:
        assert results["width"] >= 390 - 40, boxes  # the full width of a phone
