"""A bounded run of benchmarks/fuzz_endpoints.py against a live server: no input answers 5xx.

The benchmark sends 10,000 generated inputs an endpoint to granian; here the same
strategies send a few hundred in all (15 an endpoint, and the first sample of each group of
../shared/BAD-INPUT.md in every input slot), then the brute-force scenario.
"""

import importlib.util
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from jarida.articles import services
from jarida.articles.models import Article
from jarida.paths import BASE_DIR

# A live server needs committed data; available_apps lets the flush after each test
# cascade on PostgreSQL (the search tables point at articles).
pytestmark = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))

spec = importlib.util.spec_from_file_location(
    "fuzz_endpoints", BASE_DIR / "benchmarks" / "fuzz_endpoints.py"
)
fuzz_endpoints = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fuzz_endpoints)


@pytest.fixture
def paper(make_article, settings):
    settings.JARIDA_PROXY_COUNT = 1  # each input "from" another address, as the benchmark
    writer = services.contributor_named("ريم الساعدي")
    for n in range(3):
        make_article(
            title=f"خبر رقم {n} عن الكهرباء",
            bylines=[services.BylineSpec(writer)],
            tags=services.tags_named(["كهرباء"]),
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
    return Article.objects.published()


def test_generated_and_bad_inputs_get_no_server_error(live_server, paper):
    tallies, _ = fuzz_endpoints.fuzz(live_server.url, examples=15, workers=1, per_group=1)
    inputs = sum(t.inputs for t in tallies.values())
    errors = {name: t.server_errors for name, t in tallies.items() if t.server_errors}
    assert inputs >= 400
    assert errors == {}
    # Every endpoint was reached with something it answers normally, not only refusals.
    assert all(t.statuses.keys() - {429} for t in tallies.values())
    # The comment form itself was reached (its checks answer 400, a kept comment a
    # redirect), not only the CSRF check in front of it (its confirmation page or a 403).
    form = tallies["POST /comments/post/<id>/ (form)"].statuses
    assert form.keys() & {302, 303, 400, 409}, form


@pytest.mark.parametrize("path", ["/a%00b/", "/tags/%00/", "/writers/x%00/", "/%00/feed/"])
def test_a_nul_in_the_path_is_not_found_not_a_server_error(client, path):
    assert client.get(path).status_code == 404


def test_the_sixth_password_for_one_account_is_refused_without_checking_it(
    live_server, paper, django_user_model
):
    django_user_model.objects.create_user("editor", password="correct-horse-9", is_staff=True)
    site = fuzz_endpoints.Site(live_server.url)
    line = fuzz_endpoints.brute_force_line(site, "editor", "correct-horse-9")
    assert "200, 200, 200, 200, 429, 429" in line and "refused without checking" in line
