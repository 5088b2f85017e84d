"""The back office's import pages: runs, old links, attachments and the wire feeds."""

import pytest
from django.urls import reverse

from jarida.articles.models import Agency
from jarida.config import tasks_config
from jarida.desk.models import WireFeed, WireItem
from jarida.importers.models import ImportRun

pytestmark = pytest.mark.django_db

RSS = b"""<rss version="2.0"><channel><title>R</title>
<item><guid>r-1</guid><title>Talks resume</title></item>
<item><guid>r-2</guid><title>Markets open</title></item></channel></rss>"""


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(user)
    return client


def test_import_pages_open(staff):
    ImportRun.objects.create(kind=ImportRun.Kind.WXR, source="old.xml", failed=1)
    for name in ["importrun", "legacypermalink", "importedattachment"]:
        assert staff.get(reverse(f"admin:importers_{name}_changelist")).status_code == 200
    assert staff.get(reverse("admin:desk_wirefeed_add")).status_code == 200


def test_fetch_now_action_queues_the_fetch_for_a_worker(staff, local_server, settings, run_tasks):
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    base, routes = local_server
    routes["/rss"] = (200, {}, RSS)
    agency = Agency.objects.create(name="رويترز", slug="reuters")
    feed = WireFeed.objects.create(name="Reuters", url=base + "/rss", agency=agency)
    response = staff.post(
        reverse("admin:desk_wirefeed_changelist"),
        {"action": "fetch_now", "_selected_action": [feed.pk]},
        follow=True,
    )
    # The request only queues the fetch: a slow agency never holds the editor's page.
    assert "المهام الخلفية" in response.content.decode()
    assert not WireItem.objects.exists()
    assert run_tasks() == 1
    assert WireItem.objects.filter(feed=feed).count() == 2
    run = ImportRun.objects.get(kind=ImportRun.Kind.WIRE)
    assert (run.status, run.created) == (ImportRun.Status.FINISHED, 2)


def test_fetch_now_reports_each_feed_with_the_immediate_backend(staff, local_server, settings):
    settings.TASKS = tasks_config("immediate")
    settings.JARIDA_WIRE_ALLOW_PRIVATE = True
    base, routes = local_server
    routes["/rss"] = (200, {}, RSS)
    agency = Agency.objects.create(name="رويترز", slug="reuters")
    feed = WireFeed.objects.create(name="Reuters", url=base + "/rss", agency=agency)
    response = staff.post(
        reverse("admin:desk_wirefeed_changelist"),
        {"action": "fetch_now", "_selected_action": [feed.pk]},
        follow=True,
    )
    assert "Reuters: 2 new, 0 duplicate" in response.content.decode()
    assert staff.get(reverse("admin:desk_wirefeed_changelist")).status_code == 200
