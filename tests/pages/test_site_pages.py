"""The paper's own pages: edited in the back office, listed in every page's footer."""

import pytest

from jarida.pages.models import Page

pytestmark = pytest.mark.django_db


def test_standard_pages_exist_out_of_the_footer_until_written(client):
    assert set(Page.objects.values_list("slug", flat=True)) >= {
        "about",
        "contact",
        "advertise",
        "privacy",
    }
    assert "footer-pages" not in client.get("/").content.decode()


def test_a_written_page_shows_and_joins_the_footer(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        about = Page.objects.get(slug="about")
        about.body = "<p>جريدة يومية مستقلة تصدر في بغداد.</p><script>x</script>"
        about.in_footer = True
        about.save()
    page = client.get("/pages/about/").content.decode()
    assert "جريدة يومية مستقلة" in page and "<script>x" not in page
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert '<a href="/pages/about/">من نحن</a>' in footer
    assert client.get("/pages/none/").status_code == 404
