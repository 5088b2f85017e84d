"""/metrics: protected, parsed by prometheus_client's own parser, added up over processes."""

import os
import subprocess
import sys

import pytest
from django.tasks import task
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from jarida.config import tasks_config
from jarida.monitoring import metrics
from jarida.paths import BASE_DIR

TOKEN = "scrape-token-for-tests"


def scrape(client=None, **headers) -> dict:
    """Samples by (name, sorted labels) from a real /metrics answer."""
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return parse(response.content.decode())


def parse(text: str) -> dict:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def token(settings):
    settings.JARIDA_METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.mark.django_db
def test_metrics_need_the_token_or_a_staff_login(token, django_user_model, admin_user):
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    reader = django_user_model.objects.create_user("reader", password="pw")
    logged_in = Client()
    logged_in.force_login(reader)
    assert logged_in.get("/metrics").status_code == 401
    staff = Client()
    staff.force_login(admin_user)
    assert staff.get("/metrics").status_code == 200
    assert Client().get("/metrics", **token).status_code == 200


@pytest.mark.django_db
def test_request_latency_is_counted_per_route(token, paper):
    article = paper["published"][0]
    before = scrape(**token)
    client = Client()
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    client.get("/")
    after = scrape(**token)
    route = "<str:section_slug>/<int:pk>/<str:slug>/"
    name = "jarida_http_request_duration_seconds_count"
    labels = {"method": "GET", "route": route, "status": "200"}
    assert value(after, name, **labels) - value(before, name, **labels) == 3
    home = {"method": "GET", "route": "/", "status": "200"}
    assert value(after, name, **home) - value(before, name, **home) == 1
    total = "jarida_http_request_duration_seconds_sum"
    assert value(after, total, **labels) > value(before, total, **labels)


@pytest.mark.django_db
def test_search_latency_and_import_progress_are_measured(token, paper, tmp_path):
    from django.core.management import call_command

    before = scrape(**token)
    Client().get("/search/", {"q": "دجلة"})
    Client().get("/api/v1/search", {"q": "الدينار"})
    source = tmp_path / "wire.ndjson"
    source.write_text(
        "".join(
            f'{{"url": "https://x.example/{n}", "title": "خبر {n}", "content": "نص", '
            f'"date": "2015-01-0{n + 1} 10:00:00", "author": "", "source": "x"}}\n'
            for n in range(4)
        ),
        encoding="utf-8",
    )
    call_command("import_ndjson", str(source), verbosity=0)
    after = scrape(**token)
    searches = "jarida_search_duration_seconds_count"
    assert value(after, searches) - value(before, searches) == 2
    created = {"kind": "ndjson", "outcome": "created"}
    assert (
        value(after, "jarida_import_items_total", **created)
        - value(before, "jarida_import_items_total", **created)
        == 4
    )
    size = source.stat().st_size
    assert value(after, "jarida_import_bytes_read", file="wire.ndjson") == size
    assert value(after, "jarida_import_bytes_total", file="wire.ndjson") == size


def test_page_cache_counts_hits_and_misses(client, make_article, settings):
    settings.JARIDA_PAGE_CACHE_SECONDS = 300
    make_article()
    before = parse(metrics.exposition()[0].decode())
    for _ in range(3):  # a miss, then two hits
        assert client.get("/").status_code == 200
    after = parse(metrics.exposition()[0].decode())
    name = "jarida_page_cache_requests_total"
    assert value(after, name, result="hit") - value(before, name, result="hit") == 2
    assert value(after, name, result="miss") - value(before, name, result="miss") == 1


WORKER = """
import django, os
django.setup()
from django.test import Client
client = Client()
for _ in range({n}):
    assert client.get("/health/live").status_code == 200
print(os.getpid())
"""


def test_two_worker_processes_are_added_up(tmp_path, monkeypatch):
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "jarida.settings",
        "SECRET_KEY": "two-workers",
        "JARIDA_DATA_DIR": str(tmp_path / "data"),
    }
    pids = set()
    for n in (3, 5):
        done = subprocess.run(
            [sys.executable, "-c", WORKER.format(n=n)],
            env=env,
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        pids.add(done.stdout.strip().splitlines()[-1])
    assert len(pids) == 2
    assert {p.name.rsplit("_", 1)[-1].removesuffix(".db") for p in folder.glob("*.db")} >= pids
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    samples = parse(metrics.exposition()[0].decode())
    labels = {"method": "GET", "route": "/health/live", "status": "200"}
    assert value(samples, "jarida_http_request_duration_seconds_count", **labels) == 8


@task
def metrics_probe_task(fail: bool) -> str:
    if fail:
        raise RuntimeError("the probe task fails on purpose")
    return "done"


@pytest.mark.django_db
@pytest.mark.parametrize("backend", ["database", "immediate"])
def test_tasks_are_counted_by_event_and_outcome(backend, settings, run_tasks):
    settings.TASKS = tasks_config(backend)
    before = parse(metrics.exposition()[0].decode())
    metrics_probe_task.enqueue(False)
    metrics_probe_task.enqueue(True)
    name, task_name = "jarida_tasks_total", "metrics_probe_task"

    def delta(**labels):
        return value(after, name, task=task_name, **labels) - value(
            before, name, task=task_name, **labels
        )

    if backend == "database":
        # Queued, not run: enqueued minus started is the queue's depth.
        after = parse(metrics.exposition()[0].decode())
        assert delta(event="enqueued", status="") == 2
        assert delta(event="started", status="") == 0
        assert run_tasks() == 2
    after = parse(metrics.exposition()[0].decode())
    assert delta(event="enqueued", status="") == 2
    assert delta(event="started", status="") == 2
    assert delta(event="finished", status="SUCCESSFUL") == 1
    assert delta(event="finished", status="FAILED") == 1
