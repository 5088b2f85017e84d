"""A site manager's admin index and sidebar name every app and model in Arabic, the
third-party ones (login throttling, two-factor devices, the task queue) included."""

import re

import pytest
from django.utils.html import strip_tags

from tests.articles.test_admin_arabic import latin_words

pytestmark = pytest.mark.django_db


def test_the_admin_index_names_every_app_and_model_in_arabic(admin_client, admin_user):
    html = admin_client.get("/admin/").content.decode()
    body = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", html[html.index("<body") :], flags=re.S
    )
    assert latin_words(strip_tags(body), {admin_user.username}) == set()
    for arabic in ("محاولات الدخول", "تطبيقات الرموز", "الرموز الاحتياطية", "نتائج المهام"):
        assert arabic in html
