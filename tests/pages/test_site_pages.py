"""The paper's own pages: edited in the back office, listed in every page's footer."""

import pytest

from jarida.pages.models import Page

pytestmark = pytest.mark.django_db


def test_no_footer_pages_until_the_newsroom_writes_them(client):
    assert "footer-pages" not in client.get("/").content.decode()


def test_a_written_page_shows_and_joins_the_footer(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.create(
            title="من نحن",
            slug="about",
            body="<p>جريدة يومية مستقلة تصدر في بغداد.</p><script>x</script>",
        )
        Page.objects.create(title="سياسة الخصوصية", slug="privacy", in_footer=False)
    page = client.get("/pages/about/").content.decode()
    assert "جريدة يومية مستقلة" in page and "<script>x" not in page
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/pages/about/">من نحن</a>' in footer
    assert "سياسة الخصوصية" not in footer  # not ticked for the footer
    assert client.get("/pages/none/").status_code == 404
