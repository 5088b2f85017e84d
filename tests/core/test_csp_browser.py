"""The Content Security Policy holds in a real browser: no page, admin included, trips it.

Every page is sent with a policy without 'unsafe-inline'; Debian's chromium loads each one
and reports every `securitypolicyviolation` event and CSP console message.
"""

import re

import pytest

from jarida.accounts.roles import ensure_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
# Installed before any page script (Playwright's init scripts are not subject to the CSP).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def open_page(context, url: str, console: list[str]):
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, response


def violations(page, console) -> list[str]:
    return page.evaluate("window.__csp") + console


def assert_strict_policy(response):
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert re.search(r"script-src 'self'", policy)


def test_reader_pages_trip_no_csp_violation(browser, live_server, make_article, settings):
    # With the page cache on, each page is loaded twice: rendered, then from the cache.
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    article = make_article()
    pages = [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/search/?q=الكهرباء",
        "/no-such-page/",
    ]
    context = browser.new_context()
    context.add_init_script(LISTEN)
    try:
        for path in [*pages, *pages]:
            console: list[str] = []
            page, response = open_page(context, live_server.url + path, console)
            assert_strict_policy(response)
            assert violations(page, console) == [], path
            page.close()
    finally:
        context.close()


def test_admin_login_change_list_and_article_editor_trip_no_csp_violation(
    browser, live_server, make_article, django_user_model
):
    ensure_roles()
    django_user_model.objects.create_superuser("rana", "r@example.org", PASSWORD)
    article = make_article()
    context = browser.new_context()
    context.add_init_script(LISTEN)
    try:
        console: list[str] = []
        page, response = open_page(context, live_server.url + "/admin/login/", console)
        assert_strict_policy(response)
        assert violations(page, console) == []
        page.fill("#id_username", "rana")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == []
        page.close()
        for path in [
            "/admin/",
            "/admin/articles/article/",
            "/admin/articles/article/add/",
            f"/admin/articles/article/{article.pk}/change/",
            "/admin/media/image/",
            "/admin/desk/wireitem/",
            "/admin/comments/comment/",
            "/admin/2fa/enrol/",
        ]:
            console = []
            page, response = open_page(context, live_server.url + path, console)
            assert response.status == 200, path
            assert_strict_policy(response)
            assert violations(page, console) == [], path
            if "change" in path or "add" in path:
                # The rich-text editor is up and takes typing and formatting.
                editor = page.locator(".ProseMirror:visible").first
                editor.wait_for(state="visible")
                editor.click()
                page.keyboard.type("نص جديد")
                page.keyboard.press("Control+a")
                page.keyboard.press("Control+b")
                assert "نص جديد" in editor.inner_text()
            if "enrol" in path:
                assert page.locator(".two-factor-qr img").evaluate("i => i.naturalWidth") > 0
            assert violations(page, console) == [], path
            page.close()
    finally:
        context.close()
